import { deepEqual, patchConfig } from '../../core/health/patch-config.js';
import { httpError, json } from '../reply.js';
import type { Route } from '../route.js';
import { cachedOrFresh } from './cluster.js';

/** The dynamic configuration: read, merge-patch with CAS, replace. */
export const configRoutes: readonly Route[] = [
  {
    method: 'GET',
    segment: 'config',
    unsafe: false,
    body: 'none',
    handle: async (_req, { ctx }) => {
      const cluster = await cachedOrFresh(ctx);
      return cluster.config === null ? httpError(502) : json(200, cluster.config.data);
    },
  },
  {
    method: 'PATCH',
    segment: 'config',
    unsafe: true,
    body: 'required',
    handle: async (req, { ctx }) => {
      const cluster = await ctx.getCluster();
      if (cluster.config === null || cluster.config.index === 0) return httpError(503);
      const { result, changed } = patchConfig(cluster.config.data, req.body);
      // Compare-and-swap against the revision we merged into: a concurrent edit gets 409.
      if (changed && !(await ctx.setConfigValue(result, cluster.config.index))) {
        return httpError(409);
      }
      ctx.wakeup();
      return json(200, result);
    },
  },
  {
    method: 'PUT',
    segment: 'config',
    unsafe: true,
    body: 'required',
    handle: async (req, { ctx }) => {
      const cluster = await ctx.getCluster();
      if (cluster.config === null || !deepEqual(req.body, cluster.config.data)) {
        if (!(await ctx.setConfigValue(req.body))) return httpError(502);
      }
      return json(200, req.body);
    },
  },
];
