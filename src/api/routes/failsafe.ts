import { httpError, json, text } from '../reply.js';
import type { Route } from '../route.js';

/** Failsafe: the member list (GET) and the primary's keep-alive ping (POST). */
export const failsafeRoutes: readonly Route[] = [
  {
    method: 'GET',
    segment: 'failsafe',
    unsafe: false,
    body: 'none',
    handle: (_req, { ctx }) => {
      const view = ctx.view();
      const members = view.cluster?.failsafe ?? null;
      return view.failsafeMode && members !== null ? json(200, members) : httpError(502);
    },
  },
  {
    method: 'POST',
    segment: 'failsafe',
    unsafe: true,
    body: 'required',
    precheck: ({ ctx }) => (ctx.view().failsafeMode ? null : httpError(502)),
    handle: (req, { ctx }) => {
      const refusal = ctx.updateFailsafe(req.body);
      return refusal === null ? text(200, 'Accepted') : text(500, refusal);
    },
  },
];
