import { text } from '../reply.js';
import type { Route } from '../route.js';

/** Python's `parse_bool`. */
export function parseBool(value: unknown): boolean {
  if (value === true || value === 1) return true;
  if (typeof value !== 'string') return false;
  return ['true', 'yes', 'on', '1', 'y'].includes(value.toLowerCase());
}

/** Reload (SIGHUP's twin) and reinitialize: requests the HA loop carries out. */
export const maintenanceRoutes: readonly Route[] = [
  {
    method: 'POST',
    segment: 'reload',
    unsafe: true,
    body: 'none',
    handle: (_req, { ctx }) => {
      ctx.reload();
      return text(202, 'reload scheduled');
    },
  },
  {
    method: 'POST',
    segment: 'reinitialize',
    unsafe: true,
    body: 'optional',
    handle: async (req, { ctx, log }) => {
      if (Object.keys(req.body).length > 0) {
        log.debug(`received reinitialize request: ${JSON.stringify(req.body)}`);
      }
      const refusal = await ctx.reinitialize(parseBool(req.body['force']));
      return refusal === null ? text(200, 'reinitialize started') : text(503, refusal);
    },
  },
];
