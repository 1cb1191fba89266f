import type { Lsn } from '../model/lsn.js';
import type { MemberRole } from '../model/member.js';

/**
 * The divergence / rewind state machine (spec/core.md §11.2). `checkpoint` is the leader-side
 * "post-promote CHECKPOINT done" state; the others belong to a node that follows.
 */
export type RewindState =
  'initial' | 'checkpoint' | 'check' | 'need' | 'notNeed' | 'success' | 'failed';

/**
 * Everything the HA loop remembers between cycles: one record, passed in and returned, never
 * mutated. Patroni spreads these over ~27 attributes of its `Ha` class; here each field says which
 * failure it prevents and when it resets.
 */
export interface HaMemory {
  /**
   * Monotonic ms until which we may call ourselves leader (`Ha.set_is_leader`, §4.2): REST role
   * checks must not claim leadership past the lock's TTL. Set to now+ttl on each successful
   * acquire/refresh/take; reset to 0 when the lock is lost, released, or someone else holds it.
   */
  readonly leaderUntil: number;
  /**
   * The role we publish and act on (Patroni's `Postgresql.role`): distinguishes a stopped former
   * primary (`demoted`) from a replica, and a promotion in flight (`promoted`). Changed only by the
   * core's decisions; the shell seeds it at start-up from the data directory.
   */
  readonly role: MemberRole;
  /**
   * Members of the last cluster snapshot that had a leader (`old_cluster`, §6.1 row 9): a node
   * that vanished from the DCS together with the leader must still be asked before we race,
   * or a lagging replica could win. Replaced whenever a snapshot with a leader arrives.
   */
  readonly lastLedMembers: readonly KnownMember[];
  /**
   * We won the `initialize` race and run bootstrap (§10.3): later cycles must finish it
   * (post_bootstrap, take the leader key) instead of treating the fresh instance as a stray
   * primary. Reset when bootstrap completes or is cancelled.
   */
  readonly bootstrapping: boolean;
  /**
   * We (re)started PostgreSQL after a crash or restart (§5.1 row 9): the next cycle must check it
   * really came up and, if not, give up the lock instead of holding it over a dead instance.
   * Reset by that next cycle.
   */
  readonly recovering: boolean;
  /**
   * Rewind state (§11.2): prevents starting a diverged former primary as a replica of the new
   * timeline (it would silently corrupt) and re-checking forever. Reset to `initial` on becoming
   * leader, after a successful start post-rewind, and before cloning.
   */
  readonly rewind: RewindState;
  /**
   * The async-slot task name of the pg_rewind we started: its end is recognised by this name
   * (then `rewind` becomes success or failed), never by the words of a task name. Reset when
   * that end is absorbed.
   */
  readonly rewindTask: string | null;
  /**
   * Single-user crash recovery was already attempted for this outage (§11.6): prevents running
   * it in a loop when it cannot fix the data directory. Reset when PostgreSQL runs again.
   */
  readonly crashRecoveryDone: boolean;
  /**
   * Monotonic ms when we first saw PostgreSQL `starting` (time_in_state, §5.8), so the
   * `primary_start_timeout` clock survives cycles. Reset when the state is not `starting`.
   */
  readonly startingSince: number | null;
  /**
   * Start timeout (s) requested for the current start (REST restart `timeout`), overriding
   * `primary_start_timeout` (§5.8). Reset with `startingSince`.
   */
  readonly startTimeout: number | null;
  /**
   * Monotonic ms when a failed pre_promote script made us release the lock (§6.1 row 1): we must
   * not grab it straight back and fail again. Ignored after `ttl` seconds; reset on promotion.
   */
  readonly prePromoteFailedAt: number | null;
  /**
   * The post-promote CHECKPOINT has been requested and not yet seen done (§11.4): prevents
   * issuing one CHECKPOINT per cycle while the first is still running. Reset when done or
   * when we stop being leader.
   */
  readonly checkpointRequested: boolean;
  /**
   * Monotonic ms of that request: a CHECKPOINT that failed (or whose result was lost) is asked
   * for again after `ttl` seconds, or followers would wait for it forever before a rewind.
   */
  readonly checkpointRequestedAt: number | null;
  /**
   * A start-type callback (`on_start`) has fired in this process (§5.1 rows 11c and 14): the
   * first cycle of a fresh Patroni triggers a rewind check and fires `on_start`; a fresh Patroni
   * must not adopt a running replica as the cluster's origin. Never reset.
   */
  readonly startCallbackFired: boolean;
  /**
   * The previous cycle ran paused (§5.1 row 2b, §15): leaving pause must re-check what an
   * operator may have changed by hand; also decides pause when the `config` key vanished from
   * a wiped DCS (the local cache wins then). Updated every cycle the DCS answered.
   */
  readonly wasPaused: boolean;
  /**
   * Monotonic ms since failsafe mode has kept us primary through a DCS outage (§9.3), or null:
   * REST shows `failsafe_mode_is_active` from it. Reset when a cycle sees the DCS again or the
   * members stop answering.
   */
  readonly failsafeActiveSince: number | null;
  /**
   * The `/failsafe` map (member -> api_url) of the last snapshot read (§9.3 step 1): during an
   * outage the primary may only stay up if every member listed there confirms; without the cached
   * map it would have to guess who the cluster is. Replaced by every snapshot read.
   */
  readonly failsafeTopology: Readonly<Record<string, string | null>> | null;
  /**
   * The upstream we last configured PostgreSQL to stream from (`{connUrl: null}`: standby with no
   * primary_conninfo), or null when unknown (fresh process). Prevents re-pointing (a reload or
   * restart) every cycle, and makes a changed leader re-point the replica (§5.5 step 10).
   * Set by every follow/demote/clone plan; reset to null when PostgreSQL stops.
   */
  readonly upstream: { readonly connUrl: string | null } | null;
  /** Monotonic ms of the last `wakeWalReceiver` planned (following.ts): at most one a second. */
  readonly walReceiverWokenAt: number | null;
  /**
   * Synchronous-mode bookkeeping of the primary (§8.2): the last `synchronous_standby_names` seen,
   * our WAL position when it changed, and the standbys confirmed synchronous since. A standby
   * enters `/sync` only once it has acknowledged WAL written after it was named, or a promotion
   * could pick a standby that never was synchronous. Reset when the names change.
   */
  readonly sync: SyncMemory;
}

export interface SyncMemory {
  readonly ssnSeen: string | null;
  readonly flushLsn: Lsn;
  readonly ready: readonly string[];
}

/** What we keep of a member from an older snapshot: enough to ask it for its status. */
export interface KnownMember {
  readonly name: string;
  readonly apiUrl: string | null;
  readonly nofailover: boolean;
}

/** Memory of a freshly started Patroni; `role` comes from the data directory (§4.0 step 4). */
export function initialMemory(role: MemberRole = 'uninitialized'): HaMemory {
  return {
    leaderUntil: 0,
    role,
    lastLedMembers: [],
    bootstrapping: false,
    recovering: false,
    rewind: 'initial',
    rewindTask: null,
    crashRecoveryDone: false,
    startingSince: null,
    startTimeout: null,
    prePromoteFailedAt: null,
    checkpointRequested: false,
    checkpointRequestedAt: null,
    startCallbackFired: false,
    wasPaused: false,
    failsafeActiveSince: null,
    failsafeTopology: null,
    upstream: null,
    walReceiverWokenAt: null,
    sync: { ssnSeen: null, flushLsn: 0, ready: [] },
  };
}
