import type { Lsn } from './lsn.js';
import type { Member } from './member.js';

/** The `leader` key: desired state, the name of the lock holder. */
export interface Leader {
  readonly name: string;
  /** mod_revision of the key: the CAS token for deleting it and the watch start point. */
  readonly index: number;
  /** Lease ID (v3) or TTL (v2) of the key. */
  readonly session: string | null;
  /** The leader's member key, or a stub with no conn_url when it is missing. */
  readonly member: Member;
}

/** The `failover` key. Empty (neither leader nor candidate) means no request. */
export interface FailoverRequest {
  /** The current leader that must step down: present for a switchover. */
  readonly leader: string | null;
  /** The requested new leader. */
  readonly candidate: string | null;
  /** ISO-8601 with timezone, for a scheduled switchover. */
  readonly scheduledAt: string | null;
  readonly index: number;
}

/** The `sync` key. */
export interface SyncState {
  readonly leader: string | null;
  readonly syncStandbys: readonly string[];
  /** 4.x quorum field; 3.0.2 ignores it. */
  readonly quorum: number | null;
  readonly index: number;
}

export const EMPTY_SYNC: SyncState = { leader: null, syncStandbys: [], quorum: null, index: 0 };

/** `[timeline, switch_lsn, reason, timestamp?, new_leader?]`, oldest first. */
export type TimelineHistoryLine = readonly [number, Lsn, string, string?, string?];

export interface TimelineHistory {
  readonly lines: readonly TimelineHistoryLine[];
  readonly index: number;
}

/** The `config` key: the raw dynamic configuration and its revision (0 = no valid config). */
export interface ClusterConfig {
  readonly data: Readonly<Record<string, unknown>>;
  readonly index: number;
}

/**
 * One immutable snapshot of everything under `/<namespace>/<scope>/`, read once per cycle.
 * Decisions are taken from this alone: no second questions to the DCS halfway through.
 */
export interface ClusterSnapshot {
  /** null: never initialized; '': bootstrap in progress; else the system identifier. */
  readonly initialize: string | null;
  readonly config: ClusterConfig | null;
  readonly leader: Leader | null;
  /** The leader's last published WAL position (`status.optime`), 0 when unknown. */
  readonly lastLsn: Lsn;
  readonly members: readonly Member[];
  readonly failover: FailoverRequest | null;
  readonly sync: SyncState;
  readonly history: TimelineHistory | null;
  /** `status.slots`: permanent slot positions published by the leader. */
  readonly slots: Readonly<Record<string, Lsn>>;
  /** The `failsafe` key: member name -> api_url. */
  readonly failsafe: Readonly<Record<string, string | null>> | null;
}

export const EMPTY_CLUSTER: ClusterSnapshot = {
  initialize: null,
  config: null,
  leader: null,
  lastLsn: 0,
  members: [],
  failover: null,
  sync: EMPTY_SYNC,
  history: null,
  slots: {},
  failsafe: null,
};

export function findMember(cluster: ClusterSnapshot, name: string): Member | undefined {
  return cluster.members.find((m) => m.name === name);
}

/**
 * The cluster timeline derived from `history`: last line's timeline + 1; `[]` means 1;
 * absent or garbage means 0 ("unknown").
 */
export function clusterTimeline(cluster: ClusterSnapshot): number {
  if (cluster.history === null) return 0;
  const last = cluster.history.lines[cluster.history.lines.length - 1];
  return last === undefined ? 1 : last[0] + 1;
}

/** A failover request counts only when it names a leader or a candidate. */
export function hasFailoverRequest(cluster: ClusterSnapshot): boolean {
  const f = cluster.failover;
  return f !== null && (f.leader !== null || f.candidate !== null);
}

export function isPaused(cluster: ClusterSnapshot): boolean {
  const pause = cluster.config?.data['pause'];
  return pause === true || pause === 'true';
}
