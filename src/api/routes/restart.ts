import { isPaused } from '../../core/model/cluster.js';
import { validateRestart } from '../../core/health/restart-request.js';
import { errorMessage } from '../../shared/errors.js';
import { text } from '../reply.js';
import type { Route } from '../route.js';

export const restartRoutes: readonly Route[] = [
  {
    method: 'POST',
    segment: 'restart',
    unsafe: true,
    body: 'optional',
    handle: async (req, { ctx, clock, log }) => {
      if (Object.keys(req.body).length > 0) {
        log.debug(`received restart request: ${JSON.stringify(req.body)}`);
      }
      const cluster = await ctx.getCluster();
      const checked = validateRestart(req.body, isPaused(cluster), clock.wallNow());
      if (!checked.ok) return text(checked.status, checked.message);
      const request = checked.request;
      if (request.schedule !== undefined) {
        return ctx.scheduleRestart({ ...request, schedule: request.schedule })
          ? text(202, 'Restart scheduled')
          : text(409, 'Another restart is already scheduled');
      }
      try {
        const outcome = await ctx.restart(request);
        return text(outcome.ok ? 200 : 503, outcome.message);
      } catch (e) {
        log.error(`Exception during restart: ${errorMessage(e)}`);
        return text(400, 'restart failed');
      }
    },
  },
  {
    method: 'DELETE',
    segment: 'restart',
    unsafe: true,
    body: 'none',
    handle: (_req, { ctx }) =>
      ctx.deleteScheduledRestart()
        ? text(200, 'scheduled restart deleted')
        : text(404, 'no restarts are scheduled'),
  },
];
