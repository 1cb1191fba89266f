import type { Lsn } from '../model/lsn.js';
import type { FollowTarget } from './input.js';
import type { HaMemory } from './memory.js';
import type { PeerRef } from './peer-status.js';
import type { MemberPublication } from './publication.js';
import type { RaceReport } from './race.js';
import type { Reason } from './reason.js';

/** `Ha.demote(mode)` (spec/core.md §7.1). */
export type DemoteMode = 'offline' | 'graceful' | 'immediate' | 'immediate-nolock';

/** PostgreSQL's shutdown modes as pg_ctl names them. */
export type StopMode = 'smart' | 'fast' | 'immediate';

/**
 * One step of the plan the daemon's executor carries out, in order. Actions with a `task` run in
 * the async slot under that name (Patroni's task names: they appear as `<task> in progress`); the
 * others are quick and run inline. The executor switches over `type` exhaustively.
 */
export type Action =
  /** Write our member key (end of every cycle the DCS answered, §5.11). */
  | { readonly type: 'touchMember'; readonly member: MemberPublication }
  /** Unconditional put of the leader key after bootstrap (`take_leader`, §10.3). */
  | { readonly type: 'takeLeader' }
  /**
   * Delete our leader key (CAS on our name), writing `/status.optime = lastLsn` first when given
   * (`delete_leader(last_lsn)`, §7.1).
   */
  | { readonly type: 'releaseLeaderLock'; readonly lastLsn: Lsn | null }
  /** `initialize` := sysid; create it when absent, else update "" (§5.1 rows 4, 11c; §10.3). */
  | { readonly type: 'setInitialize'; readonly sysid: string; readonly createNew: boolean }
  /** `config` := our dynamic configuration, when the leader finds it missing (§5.1 row 5). */
  | { readonly type: 'writeDynamicConfig' }
  /** Write `{}` to `failover` with CAS on `index` (§6.5 "Cleaning up failover key"). */
  | { readonly type: 'clearFailoverKey'; readonly index: number }
  /** Keep only the candidate (paused manual failover after taking the lock, §5.3). */
  | {
      readonly type: 'rewriteFailoverKey';
      readonly candidate: string;
      readonly scheduledAt: string | null;
      readonly index: number;
    }
  /** Read `<pg_wal>/<timeline>.history` and write `/history` (`[]` for timeline 1; §12). */
  | { readonly type: 'writeHistory'; readonly timeline: number }
  /** initdb or custom bootstrap, then start (§10.2). */
  | { readonly type: 'bootstrapNewCluster'; readonly task: 'bootstrap' }
  /** Roles, post_bootstrap script (§10.3). */
  | { readonly type: 'postBootstrap'; readonly task: 'post_bootstrap' }
  /**
   * `cancel_initialization` (§10.3): delete `initialize`, stop PostgreSQL `immediate`, move the data
   * directory to `<data_dir>.failed`, then exit with `Failed to bootstrap cluster`.
   */
  | { readonly type: 'cancelBootstrap' }
  /**
   * Create a replica from `source` (null: a method that needs no leader), then start it following
   * `followAfter` (§10.4); on failure remove the data directory (the next cycle retries).
   */
  | {
      readonly type: 'cloneFrom';
      readonly source: FollowTarget | null;
      readonly followAfter: FollowTarget | null;
      readonly task: string;
      /**
       * `standby_cluster.create_replica_methods` in a standby cluster, where every clone (from the
       * remote primary or from a member) uses them, basebackup when empty; null: the local
       * `postgresql.create_replica_methods`.
       */
      readonly replicaMethods: readonly string[] | null;
    }
  /**
   * `Postgresql.follow`: write the recovery configuration for `target` (null: standby without
   * primary_conninfo), then `start` it (when stopped), `restart` or `reload` it. `startTimeout`
   * (s) bounds the start when set. `role` is the role callbacks are told (Patroni's
   * `follow(node, role)`): on_start's, and on_role_change fires when it differs from before.
   */
  | {
      readonly type: 'followLeader';
      readonly target: FollowTarget | null;
      readonly how: 'start' | 'restart' | 'reload';
      readonly task: string | null;
      readonly startTimeout: number | null;
      readonly role: 'replica' | 'standby_leader';
    }
  /** Stop PostgreSQL (§7.2), e.g. `immediate` when the data directory vanished. */
  | {
      readonly type: 'stopPostgres';
      readonly mode: StopMode;
      readonly timeoutSeconds: number | null;
    }
  /**
   * pre_promote, `pg_ctl promote`, on_role_change (§5.6). The slot reports ok=false when
   * pre_promote failed or promote did not happen; the core then releases the lock.
   */
  | { readonly type: 'promote'; readonly task: 'promote' }
  /**
   * `Ha.demote(mode)` (§7.1). `task` non-null: the whole demotion runs in the async slot (graceful,
   * offline); null: stop inline, then start as a replica of `followAfter` in the async slot
   * (`starting after demotion`). Release modes (graceful, immediate) delete our leader key;
   * graceful may release it early once one of `releaseCandidates` has the shutdown checkpoint.
   * If the slot is busy when the post-stop start is due, skip the start (the next cycle's
   * recovery starts PostgreSQL).
   */
  | {
      readonly type: 'demote';
      readonly mode: DemoteMode;
      readonly task: string | null;
      readonly followAfter: FollowTarget | null;
      readonly releaseCandidates: readonly PeerRef[];
    }
  /** pg_rewind from the leader (§11.5); success or failure shows in the next cycles' memory. */
  | { readonly type: 'rewind'; readonly from: FollowTarget; readonly task: string }
  /** `postgres --single` crash recovery (§11.6). */
  | { readonly type: 'crashRecovery'; readonly task: string }
  /** Stop `immediate`, wipe the data directory, clone again from `from` (§11.5 step 7, §16.3). */
  | { readonly type: 'reinitialize'; readonly from: FollowTarget | null; readonly task: string }
  /** Restart PostgreSQL keeping its role (§16.1/16.2). */
  | {
      readonly type: 'restartPostgres';
      readonly task: 'restart';
      readonly timeoutSeconds: number | null;
    }
  /**
   * Write `synchronous_standby_names` into postgresql.conf and reload when running (null: remove
   * the parameter). Synchronous mode only (§8.3); the value is already rendered.
   */
  | { readonly type: 'setSynchronousStandbyNames'; readonly value: string | null }
  /** Delete `/sync` with CAS on `index` (synchronous mode switched off, §8.4). */
  | { readonly type: 'deleteSyncState'; readonly index: number }
  /** Ask the running async action to stop. */
  | { readonly type: 'cancelInFlight' }
  /** Post-promote CHECKPOINT, in the background (not the async slot, §11.4). */
  | { readonly type: 'checkpoint' }
  /** PG14+: resume WAL replay paused by a parameter change (§5.5 step 7). */
  | { readonly type: 'resumeWalReplay' }
  /**
   * Not in Patroni: SIGHUP PostgreSQL if `upstream` accepts connections, so that a WAL receiver
   * waiting out `wal_retrieve_retry_interval` (5 s) after its upstream went away tries again now
   * (following.ts `wakeWalReceiver`).
   */
  | { readonly type: 'wakeWalReceiver'; readonly upstream: FollowTarget }
  /** Forget the scheduled restart held in process memory (§16.2). */
  | { readonly type: 'clearScheduledRestart' }
  /**
   * Fire a user callback script without waiting (§18). Only for adopting an already running
   * PostgreSQL: start/stop/restart/promote actions fire their own callbacks, as in Patroni.
   */
  | {
      readonly type: 'callback';
      readonly name: 'on_start' | 'on_role_change';
      readonly role: string;
    }
  /** Ping the armed watchdog; right after a leader-key refresh (`update_lock`). */
  | { readonly type: 'watchdogKeepalive' }
  /** Disarm the watchdog (magic close): paused, or PostgreSQL is not running as the leader. */
  | { readonly type: 'disableWatchdog' }
  /** Fatal: log at CRITICAL and exit the process with `code` (sysid mismatch, join aborted). */
  | { readonly type: 'exit'; readonly code: number; readonly message: string };

export type ActionType = Action['type'];

/**
 * A question (or an attempt whose outcome the decision depends on) that the core cannot answer
 * alone. The shell performs it, records the result in `QueryAnswers`, and calls `decide` again
 * with the same input; actions of a decision that carries a query are NOT executed.
 * - peerStatus: GET each member's api_url in parallel (2 s timeout) -> `answers.peers[name]`.
 * - acquireLock: create-only write of the leader key -> `answers.lockAcquired`.
 * - refreshLock: refresh our leader key and write `/status` {optime: lastLsn}, and `/failsafe`
 *   when `failsafe` is given and changed (`updateLeader(lastLsn, slots, failsafe)`) ->
 *   `lockRefreshed`.
 * - raceInitialize: create-only write of `initialize` = "" -> `answers.initializeWon`.
 * - checkDivergence: the §11.3 timeline/LSN check against `leader` -> `answers.divergence`.
 * - activateWatchdog: arm the watchdog (`Watchdog.activate()`) -> `answers.watchdogActivated`.
 * - writeSyncState: write `/sync` = {leader, sync_standby} with CAS on `index` (0: must not
 *   exist) -> `answers.syncStateWritten`.
 * - failsafePing: POST /failsafe {name, conn_url, api_url, slots} to every member in parallel
 *   (2 s timeout, 1 retry) -> `answers.failsafeAccepted` (all answered 200 `Accepted`).
 */
export type Query =
  | { readonly kind: 'peerStatus'; readonly members: readonly PeerRef[] }
  | { readonly kind: 'acquireLock' }
  | {
      readonly kind: 'refreshLock';
      readonly lastLsn: Lsn | null;
      /** The `/failsafe` map to publish (failsafe_mode on), else null. */
      readonly failsafe: Readonly<Record<string, string | null>> | null;
    }
  | { readonly kind: 'raceInitialize' }
  | { readonly kind: 'checkDivergence'; readonly leader: FollowTarget }
  | { readonly kind: 'failsafePing'; readonly members: readonly PeerRef[] }
  | { readonly kind: 'activateWatchdog' }
  | {
      readonly kind: 'writeSyncState';
      readonly leader: string;
      readonly syncStandbys: readonly string[];
      readonly index: number;
    };

export type LogLevel = 'debug' | 'info' | 'warning' | 'error';

/** A log line besides the cycle's heartbeat sentence (Patroni's wording). */
export interface LogLine {
  readonly level: LogLevel;
  readonly message: string;
}

/** What one call of `decide` returns. */
export interface Decision {
  /** Why: the decision's kind and data, from which `info` is rendered. */
  readonly reason: Reason;
  /** The heartbeat sentence logged at INFO for this cycle (with `PAUSE: ` when paused). */
  readonly info: string;
  /** The cluster was paused in this cycle (`info` then starts with `PAUSE: `). */
  readonly paused: boolean;
  /** The leader race this cycle ran, with each peer's verdict; null when there was none. */
  readonly race: RaceReport | null;
  readonly actions: readonly Action[];
  /** Present: answer it and call `decide` again; `actions` and `memory` are then provisional. */
  readonly query?: Query;
  readonly memory: HaMemory;
  /** Extra lines to log, in order, before the heartbeat. */
  readonly log: readonly LogLine[];
}

/** The async-slot task name of an action, or null when it runs inline. */
export function taskOf(action: Action): string | null {
  return 'task' in action ? action.task : null;
}
