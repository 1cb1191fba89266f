import type { IncomingMessage } from 'node:http';
import { healthCheck } from '../core/health/endpoints.js';
import { parseQuery, type Query } from '../core/health/query.js';
import type { AccessControl } from './access.js';
import { readJsonBody } from './body.js';
import type { RestApiOptions } from './options.js';
import { httpError, json, statusLine, text, type Reply } from './reply.js';
import type { Route, RouteDeps } from './route.js';

/** Request target split like Python's `urlparse`: path and parsed query. */
export function splitTarget(rawTarget: string): { path: string; search: string } {
  // Absolute-form targets (`GET http://host:8008/patroni`), as urlparse takes them.
  const target = rawTarget.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  const search = q < 0 ? '' : target.slice(q + 1);
  return { path: path.split('#')[0] ?? '', search };
}

/** `/patroni/anything` -> `patroni`; `/` -> ''. */
export function firstSegment(path: string): string {
  return path.replace(/^\/+/, '').split('/')[0] ?? '';
}

function genericHealth(
  method: 'GET' | 'HEAD' | 'OPTIONS',
  path: string,
  query: Query,
  deps: RouteDeps,
): Reply {
  const answer = healthCheck(method, path, query, deps.ctx.view());
  return answer.body === null ? statusLine(answer.status) : json(answer.status, answer.body);
}

/**
 * The generic health check's reply to a GET, HEAD or OPTIONS of `target`, or null when a route
 * of its own serves it (the probe fast path takes only what `dispatch` would answer the same).
 */
export function healthReply(
  method: 'GET' | 'HEAD' | 'OPTIONS',
  target: string,
  routes: ReadonlyMap<string, Route>,
  deps: RouteDeps,
): Reply | null {
  const { path, search } = splitTarget(target);
  if (routes.has(`${method} ${firstSegment(path)}`)) return null;
  return genericHealth(method, path, parseQuery(search), deps);
}

/**
 * Patroni's routing: `do_<METHOD>_<first segment>` when it exists; otherwise GET, HEAD and
 * OPTIONS fall back to the generic health check and other methods get 501.
 */
export async function dispatch(
  req: IncomingMessage,
  routes: ReadonlyMap<string, Route>,
  access: AccessControl,
  options: RestApiOptions,
  deps: RouteDeps,
): Promise<{ reply: Reply; note?: string }> {
  const method = req.method ?? 'GET';
  const tls = options.certfile !== undefined;
  const { path, search } = splitTarget(req.url ?? '/');
  const query = parseQuery(search);
  const found = routes.get(`${method} ${firstSegment(path)}`);
  // A switched-off route is answered as if it did not exist, as Patroni would.
  const route = found?.enabled?.(options) === false ? undefined : found;
  if (route === undefined) {
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') {
      return { reply: genericHealth(method, path, query, deps) };
    }
    return { reply: httpError(501, `Unsupported method ('${method}')`) };
  }
  if (route.unsafe) {
    if (options.dashboard === true && crossOrigin(req, tls)) {
      return { reply: text(403, 'cross-origin request refused'), note: 'Cross-origin request' };
    }
    const denied = await access.check(req, tls);
    if (denied !== null) return { reply: denied };
  }
  const early = route.precheck?.(deps) ?? null;
  if (early !== null) return { reply: early };
  let body: Record<string, unknown> = {};
  if (route.body !== 'none') {
    const read = await readJsonBody(req, route.body);
    if (!read.ok) return { reply: read.reply, note: `Bad request: ${read.reason}` };
    body = read.body;
  }
  return { reply: await route.handle({ path, query, body }, deps) };
}

/**
 * A browser's request sent from another site's page. Once the dashboard has a browser keep
 * Basic credentials for this API, any page could otherwise post a switchover with them (CSRF).
 * Browsers always send `Origin` on such requests; patronictl and scripts send none.
 */
export function crossOrigin(req: IncomingMessage, tls: boolean): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  const host = req.headers.host;
  return host === undefined || origin !== `${tls ? 'https' : 'http'}://${host}`;
}
