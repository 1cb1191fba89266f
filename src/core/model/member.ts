import type { Lsn } from './lsn.js';
import type { Tags } from './tags.js';

/**
 * Patroni role strings. Inside we always say `primary`; the DCS codec writes `master` for
 * 3.0.2 peers and reads both.
 */
export type MemberRole =
  'primary' | 'replica' | 'standby_leader' | 'demoted' | 'uninitialized' | 'promoted';

/** PostgreSQL states as Patroni names them (spec/core.md §14.8). */
export type PgStateName =
  | 'running'
  | 'starting'
  | 'stopped'
  | 'stopping'
  | 'restarting'
  | 'crashed'
  | 'creating replica'
  | 'initializing new cluster'
  | 'running custom bootstrap script'
  | 'start failed'
  | 'stop failed'
  | 'initdb failed'
  | 'custom bootstrap failed'
  | `restart failed (${string})`
  | 'unknown';

export interface ScheduledRestart {
  /** ISO-8601 with timezone. */
  readonly schedule: string;
  readonly postmasterStartTime?: string;
  readonly role?: MemberRole;
  readonly postgresVersion?: string;
  readonly restartPending?: boolean;
  readonly timeout?: number;
}

/** One `members/<name>` key, as read from the DCS (observed state, written by its owner). */
export interface Member {
  readonly name: string;
  readonly connUrl: string | null;
  readonly apiUrl: string | null;
  /** A PgStateName from our own members; any string from newer peers. */
  readonly state: string | null;
  readonly role: MemberRole | null;
  /** Patroni version of the member, dotted integers, e.g. `3.0.2`. */
  readonly version: string | null;
  readonly xlogLocation: Lsn | null;
  readonly timeline: number | null;
  readonly tags: Tags;
  readonly pendingRestart: boolean;
  readonly scheduledRestart: ScheduledRestart | null;
  readonly pause: boolean;
  /** Present (false) only on a leader whose post-promote checkpoint has not completed. */
  readonly checkpointAfterPromote: boolean | null;
  readonly proxyUrl: string | null;
  /** 3.0.4+: `streaming` or `in archive recovery`. */
  readonly replicationState: string | null;
  /** The key's revision (etcd v3 mod_revision / v2 modifiedIndex). */
  readonly index: number;
  /** Lease ID (v3) or remaining TTL (v2), as a string; null when the key has none. */
  readonly session: string | null;
  /** Every field as stored, so unknown fields of newer peers are never lost. */
  readonly data: Readonly<Record<string, unknown>>;
}
