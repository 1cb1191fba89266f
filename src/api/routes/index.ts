import type { Route } from '../route.js';
import { clusterRoutes } from './cluster.js';
import { configRoutes } from './config.js';
import { failsafeRoutes } from './failsafe.js';
import { journalRoutes } from './journal.js';
import { maintenanceRoutes } from './maintenance.js';
import { miscRoutes } from './misc.js';
import { restartRoutes } from './restart.js';
import { statusRoutes } from './status.js';
import { switchoverRoutes } from './switchover.js';

/** Every `do_<METHOD>_<segment>` handler; anything else falls back to the health check or 501. */
export const ALL_ROUTES: readonly Route[] = [
  ...statusRoutes,
  ...clusterRoutes,
  ...configRoutes,
  ...switchoverRoutes,
  ...restartRoutes,
  ...maintenanceRoutes,
  ...miscRoutes,
  ...failsafeRoutes,
  ...journalRoutes,
];

export function routeTable(routes: readonly Route[] = ALL_ROUTES): ReadonlyMap<string, Route> {
  return new Map(routes.map((r) => [`${r.method} ${r.segment}`, r]));
}
