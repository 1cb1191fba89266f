import type { Lsn } from '../model/lsn.js';

/** A member to ask for its `/patroni` document (spec/core.md §6.2 step 4). */
export interface PeerRef {
  readonly name: string;
  readonly apiUrl: string;
}

/**
 * What the leader race reads from a peer's status document (§6.3). A peer whose document has no
 * `xlog` (PostgreSQL down) or that did not answer is `null` in the answers: "not reachable".
 */
export interface PeerStatus {
  /** `xlog.location` present (newest also: role master/primary): it runs as a primary. */
  readonly isPrimary: boolean;
  /** Primary: `xlog.location`; replica: max(received, replayed). null when not reported. */
  readonly walPosition: Lsn | null;
  readonly timeline: number | null;
  readonly nofailover: boolean;
  readonly watchdogFailed: boolean;
  /** `tags.failover_priority` (3.2+); 1 when absent. */
  readonly failoverPriority: number;
}

function asInt(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) ? value : null;
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

function record(value: unknown): Readonly<Record<string, unknown>> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/**
 * Parses a peer's `GET /patroni` body the way Patroni's `_MemberStatus.from_api_response` does:
 * no `xlog` (or `wal`) object means the peer counts as unreachable (null).
 */
export function parsePeerStatus(doc: unknown): PeerStatus | null {
  const body = record(doc);
  if (body === null) return null;
  const xlog = record(body['xlog']) ?? record(body['wal']);
  if (xlog === null) return null;
  const role = body['role'];
  const location = asInt(xlog['location']);
  const isPrimary = location !== null || role === 'master' || role === 'primary';
  const received = asInt(xlog['received_location']);
  const replayed = asInt(xlog['replayed_location']);
  const replicaWal =
    received === null && replayed === null ? null : Math.max(received ?? 0, replayed ?? 0);
  const tags = record(body['tags']) ?? {};
  const priority = asInt(tags['failover_priority']);
  const nofailover = isTrue(tags['nofailover']) || (priority !== null && priority <= 0);
  return {
    isPrimary,
    walPosition: location ?? replicaWal,
    timeline: asInt(body['timeline']),
    nofailover,
    watchdogFailed: isTrue(body['watchdog_failed']),
    failoverPriority: nofailover ? 0 : (priority ?? 1),
  };
}

/** Patroni's `failover_limitation()`: why a peer may not take over, or null when it may. */
export function failoverLimitation(status: PeerStatus | null): string | null {
  if (status === null) return 'not reachable';
  if (status.nofailover) return 'not allowed to promote';
  if (status.watchdogFailed) return 'not watchdog capable';
  return null;
}
