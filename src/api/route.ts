import type { Query } from '../core/health/query.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/log/logger.js';
import type { BodyMode } from './body.js';
import type { ApiContext } from './context.js';
import type { RestApiOptions } from './options.js';
import type { RestMetrics } from './rest-metrics.js';
import type { Reply } from './reply.js';

export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteDeps {
  readonly ctx: ApiContext;
  readonly clock: Clock;
  readonly log: Logger;
  /** The daemon's own series for `GET /metrics`; absent when none are kept (tests). */
  readonly metrics?: RestMetrics;
}

export interface RouteRequest {
  readonly path: string;
  readonly query: Query;
  /** The JSON object body; `{}` for routes that take none. */
  readonly body: Readonly<Record<string, unknown>>;
}

/**
 * One `do_<METHOD>_<segment>` handler. `unsafe` routes pass the access check first; a
 * `precheck` answers before the body is read (e.g. failsafe off -> 502 whatever the body).
 */
export interface Route {
  readonly method: RouteMethod;
  /** The first path segment: `/patroni/anything` is routed as `patroni`. */
  readonly segment: string;
  readonly unsafe: boolean;
  readonly body: BodyMode;
  /** A route switched off by configuration is answered as an unknown path (health check). */
  readonly enabled?: (options: RestApiOptions) => boolean;
  readonly precheck?: (deps: RouteDeps) => Reply | null;
  readonly handle: (req: RouteRequest, deps: RouteDeps) => Promise<Reply> | Reply;
}
