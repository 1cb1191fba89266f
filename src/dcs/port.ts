/**
 * The DCS port: what the daemon, REST API and patronictl ask of a distributed configuration
 * store, in Patroni's verbs (spec/core.md §3.1). One implementation per store lives beside this
 * file; all of them pass the same contract suite (`contract/`).
 *
 * Error contract, which the HA logic depends on (core.md §3.1, §22.2):
 *   - Losing a race or a compare-and-swap, or a refusal by a store that answered, is a RESULT:
 *     `false`. For the leader's refresh this means "someone else owns the lock".
 *   - A store that does not answer within `retryTimeout` (after retries and endpoint failover)
 *     makes the call THROW `PatroniError('DCS_UNREACHABLE', { recoverable: true })`. No call hangs
 *     longer than `retryTimeout` plus a small margin.
 * Patroni swallows the error of some writes (take_leader, touch_member, initialize, config, ...)
 * and returns False; here every call throws, and the caller chooses to swallow (see `orFalse`).
 *
 * CAS indexes are the revisions found in the snapshot (`config.index`, `failover.index`,
 * `sync.index`, etcd's mod_revision). An index of 0 means "the key must not exist" (as etcd
 * compares a missing key's revision as 0); leave the index out for an unconditional write.
 */
import type { ClusterSnapshot, Lsn } from '../core/model/index.js';
import type { MemberData } from './codec/member.js';
import type { FailoverValue, FailsafeValue, StatusValue, SyncValue } from './codec/values.js';
import type { TimelineHistoryLine } from '../core/model/index.js';
import { isPatroniError } from '../shared/errors.js';

export type { MemberData, FailoverValue, FailsafeValue, StatusValue, SyncValue };

/** The timing settings a DCS client follows; they change with the dynamic configuration. */
export interface DcsTiming {
  /** Seconds: TTL of the leader and member keys (lease TTL). */
  readonly ttl: number;
  /** Seconds: the loop period; the lease is kept alive at least this often. */
  readonly loopWait: number;
  /** Seconds: the budget of one DCS call, retries included. */
  readonly retryTimeout: number;
}

export interface Dcs {
  /** This node's member name. */
  readonly name: string;
  /** `/<namespace>/<scope>`, normalised. */
  readonly basePath: string;

  /**
   * The whole scope directory, decoded into a snapshot: from a copy kept current by a watch
   * while the store keeps answering (Patroni's etcd3 KV cache), else one read. Throws
   * DCS_UNREACHABLE on any read failure (and forgets the cached snapshot). The write methods
   * below use what it knows as Patroni does (e.g. touchMember skips an unchanged write).
   */
  getCluster(): Promise<ClusterSnapshot>;

  /** The last snapshot read with getCluster, while younger than `ttl`; null otherwise. */
  cachedCluster(): ClusterSnapshot | null;

  /**
   * `createNew`: create `initialize`=sysid only if absent (the bootstrap race; sysid is usually
   * `''`); false when someone else created it. Otherwise: overwrite it with `sysid`.
   */
  initialize(createNew: boolean, sysid: string): Promise<boolean>;

  /** Deletes `initialize` (a failed bootstrap gives the race back). */
  cancelInitialization(): Promise<boolean>;

  /**
   * Takes the leader lock if nobody holds it: creates `leader`=my name bound to my lease.
   * false when the key exists (someone else won).
   */
  attemptToAcquireLeader(): Promise<boolean>;

  /**
   * Keeps my leader lock: forced lease keep-alive, then re-attaches the key to my lease if its
   * value is still my name, or re-creates it if it vanished; never overwrites another holder.
   * false = lock lost (demote now). On success, writes `status` when `lastLsn` is given and
   * `failsafe` when given and changed since last written/read.
   */
  updateLeader(
    lastLsn: Lsn | null,
    slots?: Readonly<Record<string, Lsn>> | null,
    failsafe?: FailsafeValue | null,
  ): Promise<boolean>;

  /**
   * The leader lease keeper's renewal (daemon/lease/): renews the TTL of my leader lock, and of
   * my member key where it has a TTL of its own, only while the lock holds my name; never
   * creates or re-creates the lock (a keeper call landing after a release must not bring it
   * back). true: the store confirmed, so the lock lives at least ttl from when this call was
   * made. false: the lock is not mine (gone, another holder's, or on a lease that expired).
   */
  renewLeaderLease(): Promise<boolean>;

  /** Unconditional put of `leader`=my name (only right after bootstrapping the cluster). */
  takeLeader(): Promise<boolean>;

  /**
   * Releases my lock: writes `status` first when `lastLsn` is given, then deletes `leader` only
   * if it still holds my name. false when it was not mine (nothing deleted).
   */
  deleteLeader(lastLsn?: Lsn | null): Promise<boolean>;

  /** Publishes `members/<me>` on my lease; skipped (true) when unchanged since the last read. */
  touchMember(data: MemberData): Promise<boolean>;

  /** Writes `config`; with `index`, only if its revision still equals it (CAS). */
  setConfigValue(
    value: Readonly<Record<string, unknown>> | string,
    index?: number,
  ): Promise<boolean>;

  /** Writes `failover` (`{}` clears the request); with `index`, CAS on its revision. */
  setFailoverValue(value: FailoverValue | string, index?: number): Promise<boolean>;

  /** Writes `history` unconditionally. */
  setHistoryValue(value: readonly TimelineHistoryLine[] | string): Promise<boolean>;

  /**
   * Writes `sync`; with `index`, CAS on its revision. Returns the new revision, or false when
   * the CAS was refused.
   */
  setSyncStateValue(value: SyncValue | string, index?: number): Promise<number | false>;

  /** Deletes `sync`; with `index`, only if its revision still equals it. */
  deleteSyncState(index?: number): Promise<boolean>;

  /**
   * Writes `status` (and the legacy `optime/leader` when a member runs Patroni < 2.1.0, per the
   * last snapshot).
   */
  writeStatus(value: StatusValue): Promise<boolean>;

  /** Writes `failsafe` when it differs from the last value written or read. */
  writeFailsafe(value: FailsafeValue): Promise<boolean>;

  /** Deletes the whole scope directory (patronictl remove). */
  deleteCluster(): Promise<boolean>;

  /**
   * Waits up to `timeoutMs`; true when woken early, false at the timeout. Never throws: a broken
   * watch just waits out the time. Wakes, as Patroni's etcd3 KV cache does, when after the last
   * `getCluster` read: the `leader` value changes (created, deleted, another holder; a refresh
   * by the same holder does not count), `status`/`optime/leader` gets a new value while I am not
   * the leader, `config` changes from one value to another, or `wakeup()` is called.
   * `leaderIndex` (the leader key's revision) is the start point only when there is no last
   * read (it failed); with neither, only `wakeup()` ends the wait early.
   */
  watch(leaderIndex: number | null, timeoutMs: number): Promise<boolean>;

  /** Ends the current (or next) `watch` early with true. */
  wakeup(): void;

  /** Applies new ttl / loop_wait / retry_timeout; a new ttl takes a new lease next time. */
  setTiming(timing: DcsTiming): void;

  /** Stops watches and timers and closes connections. Idempotent. */
  close(): Promise<void>;
}

/**
 * Patroni's "swallowed" error handling for writes whose failure the cycle may ignore: a DCS
 * that does not answer gives false instead of an exception. Other errors still throw.
 */
export async function orFalse<T>(call: Promise<T>): Promise<T | false> {
  try {
    return await call;
  } catch (error) {
    if (isPatroniError(error, 'DCS_UNREACHABLE')) return false;
    throw error;
  }
}
