import { liveness, readiness } from '../../core/health/endpoints.js';
import { renderMetrics } from '../../core/health/metrics.js';
import { statusDocument } from '../../core/health/status.js';
import { json, statusLine } from '../reply.js';
import type { Route } from '../route.js';

/** `/patroni`, `/metrics`, `/liveness`, `/readiness`: answered from the node view only. */
export const statusRoutes: readonly Route[] = [
  {
    method: 'GET',
    segment: 'patroni',
    unsafe: false,
    body: 'none',
    handle: (_req, { ctx }) => json(200, statusDocument(ctx.view())),
  },
  {
    method: 'GET',
    segment: 'metrics',
    unsafe: false,
    body: 'none',
    handle: (_req, { ctx }) => ({
      kind: 'text',
      status: 200,
      text: renderMetrics(ctx.view()),
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
