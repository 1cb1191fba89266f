import type { ClusterSnapshot, Member } from '../model/index.js';
import type { LocalPgState } from '../model/local-pg.js';
import type { Lsn } from '../model/lsn.js';
import type { ScheduledRestart } from '../model/member.js';
import type { HaSettings } from '../model/settings.js';
import type { Tags } from '../model/tags.js';
import type { HaMemory } from './memory.js';
import type { PeerStatus } from './peer-status.js';

/** The `standby_cluster` section of the dynamic configuration (spec/core.md §17). */
export interface StandbyClusterConfig {
  readonly host: string | null;
  readonly port: number | null;
  readonly primarySlotName: string | null;
  readonly createReplicaMethods: readonly string[];
  readonly restoreCommand: string | null;
  readonly archiveCleanupCommand: string | null;
  readonly recoveryMinApplyDelay: string | null;
}

/** Who we are: fixed for the life of the process (tags may change on SIGHUP). */
export interface SelfIdentity {
  readonly name: string;
  /** `<scheme>://<restapi.connect_address>/patroni`. */
  readonly apiUrl: string;
  /** `postgres://<postgresql.connect_address>/<database>`. */
  readonly connUrl: string;
  /** `postgres://<proxy_address>/<database>` when configured. */
  readonly proxyUrl: string | null;
  readonly tags: Tags;
  /** Patroni version we claim, dotted integers (e.g. `3.0.2`). */
  readonly version: string;
}

/** The one snapshot of this cycle, or the fact that the DCS could not be read. */
export type DcsView =
  | { readonly reachable: true; readonly cluster: ClusterSnapshot }
  | { readonly reachable: false; readonly sinceMs: number };

/** Local facts the shell knows from patroni.yml and the binaries, not from the cluster. */
export interface LocalFacts {
  /** The local configuration has a `bootstrap` section (may race for `initialize`, §10.1). */
  readonly bootstrapConfigured: boolean;
  /** Some `create_replica_methods` entry works without a leader (`no_leader`, §10.1). */
  readonly replicaMethodWithoutLeader: boolean;
  /** `use_pg_rewind` and pg_rewind runs and wal_log_hints/checksums are on (§11.1). */
  readonly canRewind: boolean;
  /**
   * `standby_cluster` of the locally cached dynamic configuration (§17), used when the DCS has no
   * valid `config` key; null means a normal cluster. Parse it with `parseStandbyCluster`.
   */
  readonly standbyCluster: StandbyClusterConfig | null;
}

/**
 * The watchdog as the shell sees it this cycle (Patroni's `Watchdog`): the core decides when to
 * arm it (taking the leader role), ping it (each leader-key refresh) and disarm it.
 */
export interface WatchdogView {
  /** A device is armed (`Watchdog.is_running`): each leader-key refresh must ping it. */
  readonly running: boolean;
  /** False when a required watchdog is known to be unusable: the node must not race. */
  readonly healthy: boolean;
  /**
   * Activating would change nothing and succeed: mode `off`, or `automatic` with no usable
   * device (it failed before, or the driver is not supported here).
   */
  readonly inert: boolean;
}

/** The long action running in the async slot (spec/core.md §4.4), if any. */
export interface InFlight {
  /** Patroni's task name: `promote`, `restart`, `bootstrap from leader 'n'`, ... */
  readonly action: string;
  /** Monotonic ms. */
  readonly startedAt: number;
  /** Only a promote still running pre_promote can be cancelled (`lost leader before promote`). */
  readonly cancellable: boolean;
}

/** The long action that finished since the last cycle, handed over once. */
export interface FinishedAction {
  readonly action: string;
  readonly ok: boolean;
}

/** Outcome of the divergence check against the leader (§11.3). */
export type DivergenceVerdict = 'need' | 'notNeed' | 'unknown';

/**
 * Answers to the queries the core asked earlier in this cycle (see `Query` in decision.ts).
 * The shell calls `decide` again with the same input plus every answer gathered so far.
 */
export interface QueryAnswers {
  /** Peer name -> parsed status document, null when unreachable or without `xlog`. */
  readonly peers?: Readonly<Record<string, PeerStatus | null>>;
  /** Result of the create-only write of the leader key. */
  readonly lockAcquired?: boolean;
  /** Result of refreshing our leader key (update_lock, with `/status`). */
  readonly lockRefreshed?: boolean;
  /** Result of the create-only write of `initialize` = "". */
  readonly initializeWon?: boolean;
  readonly divergence?: DivergenceVerdict;
  /** Every member of the failsafe topology answered `POST /failsafe` with 200 `Accepted`. */
  readonly failsafeAccepted?: boolean;
  /** The CAS write of `/sync` succeeded. */
  readonly syncStateWritten?: boolean;
  /** The watchdog was armed safely, or is not required. */
  readonly watchdogActivated?: boolean;
}

export const NO_ANSWERS: QueryAnswers = {};

/** Everything one HA cycle decides from. Nothing else: no clock, no I/O. */
export interface HaInput {
  /** Monotonic ms, from the Clock. */
  readonly now: number;
  /** Epoch ms, from the Clock: only for comparing with ISO timestamps (scheduled actions). */
  readonly wallNow: number;
  readonly self: SelfIdentity;
  readonly dcs: DcsView;
  /** PostgreSQL as observed this cycle. */
  readonly pg: LocalPgState;
  /** Effective settings (defaults <- dynamic <- local). */
  readonly settings: HaSettings;
  readonly local: LocalFacts;
  readonly memory: HaMemory;
  readonly inFlight: InFlight | null;
  /** The async action that finished since the previous cycle, if any. */
  readonly finished: FinishedAction | null;
  /**
   * The last `POST /failsafe` this node accepted from a primary cut off from the DCS (§9.4), kept
   * by the REST API; optional for shells without failsafe support.
   */
  readonly failsafePing?: FailsafePing | null;
  /** Scheduled restart accepted by `POST /restart` and kept in process memory (§16.2). */
  readonly scheduledRestart: ScheduledRestart | null;
  /** Absent: no watchdog at all (the core plans no watchdog actions). */
  readonly watchdog?: WatchdogView;
  readonly answers: QueryAnswers;
}

/** A primary's `POST /failsafe` body, as the receiving replica stored it (§9.4). */
export interface FailsafePing {
  readonly name: string;
  readonly connUrl: string | null;
  readonly apiUrl: string | null;
  /** Monotonic ms when it arrived: it stands in for the leader key for `ttl` seconds. */
  readonly receivedAt: number;
  /**
   * The primary's permanent slot positions (`slots` of the body), standing in for `status.slots`
   * while the DCS is down, so replicas keep advancing their copies; null when not sent.
   */
  readonly slots?: Readonly<Record<string, Lsn>> | null;
}

/** Identity of the member we replicate from (or clone, rewind from). */
export interface FollowTarget {
  readonly name: string;
  readonly connUrl: string | null;
  readonly apiUrl: string | null;
  /**
   * Present on the remote primary of a standby cluster (§17): the recovery configuration takes
   * primary_slot_name, restore_command, archive_cleanup_command, recovery_min_apply_delay from it.
   */
  readonly standby?: StandbyClusterConfig;
  /**
   * A member followed inside a standby cluster: the cluster's restore_command and
   * archive_cleanup_command still apply to its recovery configuration (`_get_node_to_follow`).
   */
  readonly archive?: {
    readonly restoreCommand: string | null;
    readonly archiveCleanupCommand: string | null;
  };
}

export function followTargetOf(member: Member): FollowTarget {
  return { name: member.name, connUrl: member.connUrl, apiUrl: member.apiUrl };
}
