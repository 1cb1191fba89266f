import { firstSegment, splitTarget } from './dispatch.js';
import type { Route } from './route.js';

export type { RestMetrics } from './rest-metrics.js';

/** The health-check paths of Patroni 3.0.2 (matched by substring there; labelled exactly here). */
const HEALTH_SEGMENTS = [
  'primary',
  'master',
  'leader',
  'standby-leader',
  'standby_leader',
  'replica',
  'read-write',
  'read-only',
  'read-only-sync',
  'read-only-synchronous',
  'health',
  'sync',
  'synchronous',
  'async',
  'asynchronous',
];

/**
 * The `route` label of a request target: `/<first segment>` for the API's own routes and the
 * health checks, `/` for the root, `other` for anything else, so a scanner trying random paths
 * cannot grow the series without bound.
 */
export function routeLabeller(routes: ReadonlyMap<string, Route>): (target: string) => string {
  const known = new Set(HEALTH_SEGMENTS);
  for (const route of routes.values()) known.add(route.segment);
  return (target) => {
    const segment = firstSegment(splitTarget(target).path);
    if (segment === '') return '/';
    return known.has(segment) ? `/${segment}` : 'other';
  };
}

/** Methods as labels: the HTTP ones Patroni serves, anything else `other`. */
export function methodLabel(method: string | undefined): string {
  return method !== undefined && METHODS.has(method) ? method : 'other';
}

const METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE']);
