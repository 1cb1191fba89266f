import { implementationJson } from '../../core/config/version.js';
import { liveness, readiness } from '../../core/health/endpoints.js';
import { renderMetrics } from '../../core/health/metrics.js';
import { statusDocument } from '../../core/health/status.js';
import { json, statusLine } from '../reply.js';
import type { Route } from '../route.js';

/**
 * `/patroni` and `/metrics` show PostgreSQL read within the last second (Patroni queries it per
 * request); `/liveness` and `/readiness` answer from the loop's view.
 */
export const statusRoutes: readonly Route[] = [
  {
    method: 'GET',
    segment: 'patroni',
    unsafe: false,
    body: 'none',
    handle: async (_req, { ctx }) =>
      json(200, { ...statusDocument(await ctx.freshView()), implementation: implementationJson() }),
  },
  {
    method: 'GET',
    segment: 'metrics',
    unsafe: false,
    body: 'none',
    handle: async (_req, { ctx, metrics }) => ({
      kind: 'text',
      status: 200,
      // Patroni's series first, byte for byte; then the ones patroni-ts adds.
      text: renderMetrics(await ctx.freshView()) + ((await metrics?.render()) ?? ''),
      contentType: 'text/plain',
    }),
  },
  {
    method: 'GET',
    segment: 'liveness',
    unsafe: false,
    body: 'none',
    handle: (_req, { ctx, clock }) => statusLine(liveness(ctx.view(), clock.wallNow())),
  },
  {
    method: 'GET',
    segment: 'readiness',
    unsafe: false,
    body: 'none',
    handle: (_req, { ctx }) => statusLine(readiness(ctx.view())),
  },
];
