import { clusterAsJson } from '../../core/health/cluster-json.js';
import type { ClusterSnapshot } from '../../core/model/cluster.js';
import type { ApiContext } from '../context.js';
import { json } from '../reply.js';
import type { Route } from '../route.js';

/** The cached cluster when there is one, else a fresh read (`dcs.cluster or dcs.get_cluster()`). */
export async function cachedOrFresh(ctx: ApiContext): Promise<ClusterSnapshot> {
  return ctx.view().cluster ?? (await ctx.getCluster());
}

export const clusterRoutes: readonly Route[] = [
  {
    // 3.0.2 reads the DCS fresh here, so `patronictl list` never shows a stale leader.
    method: 'GET',
    segment: 'cluster',
    unsafe: false,
    body: 'none',
    handle: async (_req, { ctx }) => json(200, clusterAsJson(await ctx.getCluster())),
  },
  {
    method: 'GET',
    segment: 'history',
    unsafe: false,
    body: 'none',
    handle: async (_req, { ctx }) => {
      const cluster = await cachedOrFresh(ctx);
      return json(200, cluster.history?.lines ?? []);
    },
  },
];
