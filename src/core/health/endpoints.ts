import { firstValue, pythonStr, type Query } from './query.js';
import type { NodeView } from './node-view.js';
import { isSyncStandby, postgresStatus, statusDocument, type StatusDocument } from './status.js';
import { parseIntWithUnit } from './units.js';

export type HealthStatus = 200 | 503;

/** A health answer: GET sends the status document, HEAD/OPTIONS only the status line. */
export interface HealthAnswer {
  readonly status: HealthStatus;
  /** null: write the status line only (HEAD, OPTIONS, /liveness, /readiness). */
  readonly body: StatusDocument | null;
}

interface RoleCodes {
  readonly leader: HealthStatus;
  readonly primary: HealthStatus;
  readonly standbyLeader: HealthStatus;
  readonly replica: HealthStatus;
}

const ok = (condition: boolean): HealthStatus => (condition ? 200 : 503);

/**
 * Patroni 3.0.2's generic `do_GET`: every GET without a handler of its own, and every HEAD and
 * OPTIONS. `path` is the URL path without the query string.
 */
export function healthCheck(
  method: 'GET' | 'HEAD' | 'OPTIONS',
  path: string,
  query: Query,
  view: NodeView,
): HealthAnswer {
  const effectivePath = path === '/' ? '/primary' : path;
  const doc = postgresStatus(view);
  const codes = roleCodes(view, doc, query);
  const matched = matchPath(effectivePath, codes, doc, view);
  let status = matched.status;
  if (!matched.ignoreTags && status === 200 && !tagsMatch(query, view)) status = 503;
  if (method !== 'GET') return { status, body: null };
  return { status, body: statusDocument(view) };
}

function roleCodes(view: NodeView, doc: StatusDocument, query: Query): RoleCodes {
  const role = doc['role'];
  const replica = ok(
    !truthy(view.tags['noloadbalance']) &&
      !isLagging(view, doc, query) &&
      role === 'replica' &&
      doc['state'] === 'running',
  );
  if (view.cluster === null && view.paused) {
    // No cluster view while paused: trust the local role alone.
    return {
      leader: ok(role === 'master' || role === 'primary' || role === 'standby_leader'),
      primary: ok(role === 'master' || role === 'primary'),
      standbyLeader: ok(role === 'standby_leader'),
      replica,
    };
  }
  if (view.isLeader) {
    if (view.standbyCluster) {
      const standbyLeader = ok(role === 'replica' || role === 'standby_leader');
      return { leader: 200, primary: 503, standbyLeader, replica: 503 };
    }
    return { leader: 200, primary: 200, standbyLeader: 503, replica };
  }
  return { leader: 503, primary: 503, standbyLeader: 503, replica };
}

/** Behind the leader's last published position by more than `?lag=` (default: never). */
function isLagging(view: NodeView, doc: StatusDocument, query: Query): boolean {
  const leaderOptime = view.cluster?.lastLsn ?? 0;
  if (leaderOptime === 0) return false;
  const maxLag = parseIntWithUnit(firstValue(query, 'lag'), 'B') ?? Number.MAX_SAFE_INTEGER;
  const xlog = doc['xlog'];
  const replayed =
    typeof xlog === 'object' && xlog !== null && 'replayed_location' in xlog
      ? Number(xlog.replayed_location ?? 0)
      : 0;
  return leaderOptime > replayed + maxLag;
}

/** Substring matching, first match wins: `/master` and `/foo-replica-bar` both work. */
function matchPath(
  path: string,
  codes: RoleCodes,
  doc: StatusDocument,
  view: NodeView,
): { status: HealthStatus; ignoreTags: boolean } {
  if (path.includes('standby_leader') || path.includes('standby-leader')) {
    return { status: codes.standbyLeader, ignoreTags: true };
  }
  if (path.includes('leader')) return { status: codes.leader, ignoreTags: true };
  if (path.includes('master') || path.includes('primary') || path.includes('read-write')) {
    return { status: codes.primary, ignoreTags: true };
  }
  if (path.includes('replica')) return { status: codes.replica, ignoreTags: false };
  const leaderish = codes.primary === 200 || codes.standbyLeader === 200;
  // 3.0.2 has no `quorum` exclusion: /read-only-quorum behaves like /read-only.
  if (path.includes('read-only') && !path.includes('sync')) {
    return { status: leaderish ? 200 : codes.replica, ignoreTags: false };
  }
  if (path.includes('health')) return { status: ok(doc['state'] === 'running'), ignoreTags: false };
  if (view.cluster === null) return { status: 503, ignoreTags: false };
  const sync = isSyncStandby(view);
  let status: HealthStatus = 503;
  if ((path === '/sync' || path === '/synchronous') && sync) status = codes.replica;
  else if ((path === '/async' || path === '/asynchronous') && !sync) status = codes.replica;
  else if (path === '/read-only-sync' || path === '/read-only-synchronous') {
    if (leaderish) status = 200;
    else if (sync) status = codes.replica;
  }
  return { status, ignoreTags: false };
}

/** Every `tag_<key>=<value>` must equal the configured tag (non-strings compared lower-cased). */
function tagsMatch(query: Query, view: NodeView): boolean {
  for (const [key, values] of Object.entries(query)) {
    if (!key.startsWith('tag_')) continue;
    const wanted = values[0];
    const actual = view.tags[key.slice('tag_'.length)];
    if (actual === undefined || actual === null) return false;
    const text = typeof actual === 'string' ? actual : pythonStr(actual).toLowerCase();
    if (text !== wanted) return false;
  }
  return true;
}

function truthy(value: unknown): boolean {
  if (typeof value === 'string') return value.length > 0;
  if (typeof value === 'number') return value !== 0;
  return value === true || (typeof value === 'object' && value !== null);
}

/**
 * `GET /liveness`: the HA loop is not stuck. A running primary gets one `ttl` of slack (its
 * leader key expires then anyway), everything else two. Always fine while paused.
 */
export function liveness(view: NodeView, nowMs: number): HealthStatus {
  const runningPrimary = view.role === 'primary' && view.pg.postmasterRunning;
  const thresholdMs = view.ttl * (runningPrimary ? 1 : 2) * 1000;
  return ok(view.paused || view.nextRunAt + thresholdMs > nowMs);
}

/** `GET /readiness` (3.0.2): the leader, or running PostgreSQL with a cluster view. */
export function readiness(view: NodeView): HealthStatus {
  if (view.isLeader) return 200;
  return ok(view.pg.state === 'running' && view.cluster !== null);
}
