import type { ClusterSnapshot } from '../model/cluster.js';
import type { LocalPgState } from '../model/local-pg.js';
import type { MemberRole, ScheduledRestart } from '../model/member.js';

/**
 * A plain snapshot of this node that the daemon keeps current (replaced once per HA cycle and
 * after every action that changes it). Health checks are answered from it alone: no DCS round
 * trip and no SQL per request, so a flood of load-balancer probes costs nothing.
 */
export interface NodeView {
  /** `scope` from patroni.yml. */
  readonly scope: string;
  /** `name` from patroni.yml. */
  readonly name: string;
  /** Patroni version we report, dotted, e.g. `3.0.2`. */
  readonly version: string;
  /** What the last cycle observed of local PostgreSQL. */
  readonly pg: LocalPgState;
  /**
   * `pg_last_xact_replay_timestamp()` as PostgreSQL prints it (`2026-11-22 03:02:18.94+00`),
   * or null; the status document reprints it the way Python does.
   */
  readonly replayedTimestamp: string | null;
  /** Patroni's own idea of the role (postgresql.role), reported when PostgreSQL does not answer. */
  readonly role: MemberRole;
  /** This node holds the leader lock and it has not expired (`ha.is_leader()`). */
  readonly isLeader: boolean;
  /**
   * The cached cluster (Patroni's `dcs.cluster`: the last read while younger than `ttl`, i.e.
   * `Dcs.cachedCluster()`); null once the DCS has been unreachable that long.
   */
  readonly cluster: ClusterSnapshot | null;
  /** Maintenance mode, from the last known dynamic configuration. */
  readonly paused: boolean;
  /** The dynamic configuration has a `standby_cluster` section. */
  readonly standbyCluster: boolean;
  /** `synchronous_mode` of the effective configuration. */
  readonly synchronousMode: boolean;
  /** `failsafe_mode` of the effective configuration. */
  readonly failsafeMode: boolean;
  /** Failsafe is active right now (leader kept alive by peers, or a replica pinged by one). */
  readonly failsafeActive: boolean;
  /** Tags as configured in patroni.yml, wire form (`nofailover: true`, custom keys verbatim). */
  readonly tags: Readonly<Record<string, unknown>>;
  /** Tags as published (configured plus temporary ones such as `nosync`), wire form. */
  readonly effectiveTags: Readonly<Record<string, unknown>>;
  /** Epoch seconds of the last successful DCS read (`dcs_last_seen`). */
  readonly dcsLastSeen: number;
  /** Epoch milliseconds at which the next HA cycle is due (`patroni.next_run`), for /liveness. */
  readonly nextRunAt: number;
  /** `ttl` in seconds (liveness threshold). */
  readonly ttl: number;
  /** `loop_wait` in seconds (switchover polling budget). */
  readonly loopWait: number;
  /** `maximum_lag_on_failover` in bytes. */
  readonly maximumLagOnFailover: number;
  /** The scheduled restart waiting in memory, or null. */
  readonly scheduledRestart: ScheduledRestart | null;
  /** false when a required watchdog is unusable (`watchdog_failed` in the status document). */
  readonly watchdogHealthy: boolean;
  /**
   * Ours (issue 17): seconds the leader's lease is still valid for, as its lease keeper counts
   * it (from the last confirmed renewal's request), to 0.1 s; absent or null off the leader.
   */
  readonly leaseRemaining?: number | null;
}
