import type { Lsn } from './lsn.js';
import type { PgStateName } from './member.js';

/** A walsender row of pg_stat_replication, as the primary sees its standbys. */
export interface ReplicationRow {
  readonly pid: number;
  readonly usename: string;
  readonly applicationName: string;
  readonly clientAddr: string | null;
  readonly state: string;
  readonly syncState: string;
  readonly syncPriority: number;
  readonly writeLsn: Lsn | null;
  readonly flushLsn: Lsn | null;
  readonly replayLsn: Lsn | null;
}

/**
 * What the daemon observed of its own PostgreSQL this cycle: one batched probe, cheap enough
 * that the REST API can serve from it. Fields are null when PostgreSQL did not answer.
 */
export interface LocalPgState {
  /** The data directory holds no cluster (missing or empty). */
  readonly dataDirEmpty: boolean;
  /** The state name Patroni would report. */
  readonly state: PgStateName;
  /** A postmaster is alive (its pid answers), whether or not it accepts connections yet. */
  readonly postmasterRunning: boolean;
  /** It answered the monitoring query. */
  readonly accepting: boolean;
  /** null when unknown (not running and no control data read). */
  readonly inRecovery: boolean | null;
  readonly timeline: number | null;
  /** Primary: current WAL flush position. */
  readonly walPosition: Lsn | null;
  readonly receiveLsn: Lsn | null;
  readonly replayLsn: Lsn | null;
  readonly replayPaused: boolean;
  /** Timeline the WAL receiver streams from (only while streaming). */
  readonly receivedTimeline: number | null;
  /** `primary_conninfo` of the running WAL receiver, or null when not streaming. */
  readonly walReceiverConninfo: string | null;
  /**
   * A WAL receiver process exists (any status); false: none, the standby waits to retry its
   * upstream. Absent where the observation does not say (tests, older shells).
   */
  readonly walReceiverRunning?: boolean;
  readonly replication: readonly ReplicationRow[];
  readonly pendingRestart: boolean;
  /** Text form, e.g. `2023-03-24 10:15:02.120551+00:00`. */
  readonly postmasterStartTime: string | null;
  /** e.g. 150002. */
  readonly serverVersion: number | null;
  readonly systemIdentifier: string | null;
  /** From pg_controldata when stopped: `in production`, `shut down`, `shut down in recovery`, ... */
  readonly clusterState: string | null;
  readonly syncStandbyNames: string | null;
  /**
   * `synchronous_commit` as PostgreSQL holds it (null when unknown): it says which standby LSN
   * the primary waits for, so the sync pick ranks and measures lag on that column (§8.2).
   */
  readonly synchronousCommit: string | null;
  /**
   * Timeline of the latest checkpoint in pg_control (`pg_control_checkpoint().timeline_id`); equal
   * to `timeline` once the post-promote CHECKPOINT has run (spec/core.md §11.4). Optional: HA core.
   */
  readonly checkpointTimeline?: number | null;
  /** Why the data directory cannot be read (spec/core.md §5.1 row 10), when it cannot. */
  readonly dataDirError?: string | null;
}

export const UNKNOWN_PG_STATE: LocalPgState = {
  dataDirEmpty: true,
  state: 'stopped',
  postmasterRunning: false,
  accepting: false,
  inRecovery: null,
  timeline: null,
  walPosition: null,
  receiveLsn: null,
  replayLsn: null,
  replayPaused: false,
  receivedTimeline: null,
  walReceiverConninfo: null,
  replication: [],
  pendingRestart: false,
  postmasterStartTime: null,
  serverVersion: null,
  systemIdentifier: null,
  clusterState: null,
  syncStandbyNames: null,
  synchronousCommit: null,
};
