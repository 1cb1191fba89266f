import type { ClusterSnapshot, Lsn, TimelineHistoryLine } from '../../core/model/index.js';
import type { Clock } from '../../shared/clock.js';
import { PatroniError, errorMessage, isPatroniError } from '../../shared/errors.js';
import type { Logger } from '../../shared/log/logger.js';
import { encodeMember, type MemberData } from '../codec/member.js';
import { absoluteKey, KEYS, memberKey, scopePrefix } from '../codec/paths.js';
import type { PrimaryRoleName } from '../codec/roles.js';
import { compareVersions, minVersion } from '../codec/snapshot.js';
import {
  encodeConfig,
  encodeFailover,
  encodeFailsafe,
  encodeHistory,
  encodeStatus,
  encodeSync,
  type FailoverValue,
  type FailsafeValue,
  type StatusValue,
  type SyncValue,
} from '../codec/values.js';
import type { Dcs, DcsTiming } from '../port.js';
import type { Guard, KvBackend, PutOptions, WriteOutcome } from './backend.js';
import { ClusterMirror } from './cluster-mirror.js';
import { ClusterWatch } from './cluster-watch.js';
import { LeaseKeeper } from './lease-keeper.js';
import { OwnWrites } from './own-writes.js';
import { StoreContact } from './store-contact.js';

export interface KvDcsOptions {
  readonly name: string;
  /** From `basePath(scope, namespace)`. */
  readonly basePath: string;
  readonly timing: DcsTiming;
  readonly clock: Clock;
  readonly logger: Logger;
  /** `master` (default, for 3.0.2 peers) or `primary`. */
  readonly primaryRoleName?: PrimaryRoleName;
}

interface LastRead {
  readonly cluster: ClusterSnapshot;
  readonly at: number;
}

/** Below this member version peers need the legacy `optime/leader` key (core.md §2.7). */
const LEGACY_OPTIME_BEFORE = [2, 1, 0];

/**
 * Patroni's DCS semantics over any revisioned, leased key-value store (etcd v3, memory).
 *
 * Like Patroni's etcd3 client, it serves `getCluster` from a watch-backed mirror of the scope
 * directory while it can be trusted (cluster-mirror.ts), and the loop's wake-up and the
 * skipping of unchanged writes use the same mirror.
 */
export class KvDcs implements Dcs {
  readonly name: string;
  readonly basePath: string;
  private timing: DcsTiming;
  private readonly lease: LeaseKeeper;
  private readonly waker: ClusterWatch;
  private readonly primaryRoleName: PrimaryRoleName;
  private readonly prefix: string;
  private readonly mirror: ClusterMirror;
  private lastRead: LastRead | null = null;
  private lastFailsafe: string | null = null;
  private closed = false;

  private readonly backend: OwnWrites;

  constructor(
    backend: KvBackend,
    private readonly options: KvDcsOptions,
  ) {
    // A call that failed may mean missed changes: the mirror reads again.
    const contact = new StoreContact(backend, options.clock, () => {
      this.mirror.distrust();
    });
    this.backend = new OwnWrites(contact);
    this.name = options.name;
    this.basePath = options.basePath;
    this.prefix = scopePrefix(options.basePath);
    this.timing = options.timing;
    this.primaryRoleName = options.primaryRoleName ?? 'master';
    this.lease = new LeaseKeeper(
      this.backend,
      options.clock,
      this.timing.ttl,
      this.timing.loopWait,
    );
    this.waker = new ClusterWatch(options.clock, this.backend);
    this.mirror = new ClusterMirror(this.backend, contact, {
      prefix: this.prefix,
      me: this.name,
      clock: options.clock,
      logger: options.logger,
      waker: this.waker,
    });
    backend.setRetryTimeout(this.timing.retryTimeout);
  }

  private key(relative: string): string {
    return absoluteKey(this.basePath, relative);
  }

  async getCluster(): Promise<ClusterSnapshot> {
    try {
      const cluster = await this.mirror.read(this.trustWindowMs(), () => this.lease.ping());
      this.lastRead = { cluster, at: this.options.clock.now() };
      this.backend.forgetUpTo(this.mirror.revision);
      // What the DCS holds now decides whether the next writeFailsafe must write.
      this.lastFailsafe = this.mirror.failsafe;
      return cluster;
    } catch (error) {
      this.lastRead = null;
      this.mirror.distrust();
      throw asUnreachable(error, 'read the cluster');
    }
  }

  /**
   * What is known of a key, for skipping a write that would change nothing: while the watch
   * keeps the mirror current, or the last read is younger than ttl.
   */
  private known(relative: string): { value: string; session: string | null } | undefined {
    if (!this.mirror.live && this.freshRead() === null) return undefined;
    return this.mirror.entry(relative);
  }

  /**
   * How long an answer of the store vouches for the watched copy: two cycles, so that a
   * replica's lease keep-alive, every other cycle as in Patroni, is the only sign of life an
   * idle cluster needs; never more than ttl. A hung store is noticed within two cycles.
   */
  private trustWindowMs(): number {
    const { ttl, loopWait } = this.timing;
    return Math.min(ttl, 2 * loopWait + 1) * 1000;
  }

  cachedCluster(): ClusterSnapshot | null {
    return this.freshRead()?.cluster ?? null;
  }

  private freshRead(): LastRead | null {
    const r = this.lastRead;
    if (r === null || this.options.clock.now() - r.at > this.timing.ttl * 1000) return null;
    return r;
  }

  async initialize(createNew: boolean, sysid: string): Promise<boolean> {
    const guard: Guard | undefined = createNew ? { kind: 'absent' } : undefined;
    return (await this.put(KEYS.initialize, sysid, guard)).ok;
  }

  async cancelInitialization(): Promise<boolean> {
    return (await this.remove(KEYS.initialize)).ok;
  }

  async attemptToAcquireLeader(): Promise<boolean> {
    const outcome = await this.putOnLease(KEYS.leader, this.name, { kind: 'absent' }, false);
    // A refusal is a result: the HA core says `Could not take out TTL lock` for it.
    return outcome.ok || this.holdsOnMyLease(outcome);
  }

  /**
   * A create-only write refused because the key already holds my name on my lease: an earlier
   * attempt landed though its answer was lost (a retried timeout). The lock is mine.
   */
  private holdsOnMyLease(outcome: WriteOutcome): boolean {
    if (outcome.ok || outcome.reason !== 'compare-failed') return false;
    const current = outcome.current;
    return (
      current?.value === this.name && current.lease !== null && current.lease === this.lease.current
    );
  }

  async updateLeader(
    lastLsn: Lsn | null,
    slots?: Readonly<Record<string, Lsn>> | null,
    failsafe?: FailsafeValue | null,
  ): Promise<boolean> {
    const lease = await this.lease.refresh(true);
    // As Patroni's _update_leader: when the lock already rides my live lease, the keep-alive
    // just sent renewed it; only a lock that is gone or on an older lease needs the txn.
    const held = this.mirror.live ? this.mirror.entry(KEYS.leader) : undefined;
    if (held?.value !== this.name || held.session !== lease) {
      const guard: Guard = { kind: 'valueOrAbsent', value: this.name };
      const outcome = await this.putOnLease(KEYS.leader, this.name, guard, false);
      if (!outcome.ok) return false;
    }
    // Patroni swallows failures of these two: the lock itself was kept.
    if (lastLsn !== null)
      await this.quietly(this.writeStatus({ optime: lastLsn, slots: slots ?? null }));
    if (failsafe !== undefined && failsafe !== null)
      await this.quietly(this.writeFailsafe(failsafe));
    return true;
  }

  /**
   * A keep-alive of my lease (it carries the lock and my member key), then a write guarded on
   * the lock still holding my name: the mirror could lag a deletion by a few milliseconds, and a
   * keeper that trusted it would call a lock it no longer has its own.
   */
  async renewLeaderLease(): Promise<boolean> {
    const lease = this.lease.current;
    if (lease === null) return false;
    if (!(await this.backend.keepAlive(lease))) {
      if (this.lease.current === lease) this.lease.drop();
      return false;
    }
    const guard: Guard = { kind: 'value', value: this.name };
    return (await this.put(KEYS.leader, this.name, guard, lease)).ok;
  }

  async takeLeader(): Promise<boolean> {
    return (await this.putOnLease(KEYS.leader, this.name, undefined, false)).ok;
  }

  async deleteLeader(lastLsn?: Lsn | null): Promise<boolean> {
    if (lastLsn !== undefined && lastLsn !== null) {
      await this.quietly(this.writeStatus({ optime: lastLsn }));
    }
    return (await this.remove(KEYS.leader, { kind: 'value', value: this.name })).ok;
  }

  async touchMember(data: MemberData): Promise<boolean> {
    const value = encodeMember(data, this.primaryRoleName);
    const lease = await this.lease.refresh(false);
    const relative = memberKey(this.name);
    const mine = this.known(relative);
    if (mine !== undefined && mine.value === value && mine.session === lease) return true;
    const outcome = await this.put(relative, value, undefined, lease);
    if (!outcome.ok && outcome.reason === 'lease-not-found') this.lease.drop();
    return outcome.ok;
  }

  async setConfigValue(
    value: Readonly<Record<string, unknown>> | string,
    index?: number,
  ): Promise<boolean> {
    const text = typeof value === 'string' ? value : encodeConfig(value);
    return (await this.put(KEYS.config, text, revisionGuard(index))).ok;
  }

  async setFailoverValue(value: FailoverValue | string, index?: number): Promise<boolean> {
    const text = typeof value === 'string' ? value : encodeFailover(value);
    return (await this.put(KEYS.failover, text, revisionGuard(index))).ok;
  }

  async setHistoryValue(value: readonly TimelineHistoryLine[] | string): Promise<boolean> {
    return (await this.put(KEYS.history, typeof value === 'string' ? value : encodeHistory(value)))
      .ok;
  }

  async setSyncStateValue(value: SyncValue | string, index?: number): Promise<number | false> {
    const text = typeof value === 'string' ? value : encodeSync(value);
    const outcome = await this.put(KEYS.sync, text, revisionGuard(index));
    return outcome.ok ? outcome.revision : false;
  }

  async deleteSyncState(index?: number): Promise<boolean> {
    return (await this.remove(KEYS.sync, revisionGuard(index))).ok;
  }

  async writeStatus(value: StatusValue): Promise<boolean> {
    const ok = await this.putUnlessKnown(KEYS.status, encodeStatus(value));
    const min = minVersion(this.freshRead()?.cluster.members ?? []);
    if (ok && min !== null && compareVersions(min, LEGACY_OPTIME_BEFORE) < 0) {
      await this.putUnlessKnown(KEYS.optime, String(value.optime));
    }
    return ok;
  }

  /** A put skipped when the mirror shows the key already holds the value (Patroni's KV cache). */
  private async putUnlessKnown(relative: string, value: string): Promise<boolean> {
    if (this.known(relative)?.value === value) return true;
    return (await this.put(relative, value)).ok;
  }

  async writeFailsafe(value: FailsafeValue): Promise<boolean> {
    const text = encodeFailsafe(value);
    if (text === this.lastFailsafe) return true;
    const ok = (await this.put(KEYS.failsafe, text)).ok;
    if (ok) this.lastFailsafe = text;
    return ok;
  }

  async deleteCluster(): Promise<boolean> {
    await this.backend.deletePrefix(this.prefix);
    this.mirror.distrust();
    return true;
  }

  watch(leaderIndex: number | null, timeoutMs: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    this.mirror.ensureWatch(leaderIndex);
    return this.waker.wait(timeoutMs);
  }

  wakeup(): void {
    this.waker.wakeup();
  }

  setTiming(timing: DcsTiming): void {
    if (timing.ttl !== this.timing.ttl) this.waker.wakeup();
    this.timing = timing;
    this.lease.setTiming(timing.ttl, timing.loopWait);
    this.backend.setRetryTimeout(timing.retryTimeout);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.mirror.close();
    this.waker.close();
    await this.backend.close();
  }

  /** The lease ID this client's keys ride, for tests and logs. */
  get leaseId(): string | null {
    return this.lease.current;
  }

  /** A put of mine; once it landed, the mirror knows it (before its watch event comes). */
  private async put(
    relative: string,
    value: string,
    guard?: Guard,
    lease?: string,
  ): Promise<WriteOutcome> {
    const options: PutOptions = {
      ...(guard === undefined ? {} : { guard }),
      ...(lease === undefined ? {} : { lease }),
    };
    const outcome = await this.backend.put(this.key(relative), value, options);
    if (outcome.ok) this.mirror.wrote(relative, value, outcome.revision, lease ?? null);
    return outcome;
  }

  private async remove(relative: string, guard?: Guard): Promise<WriteOutcome> {
    const outcome = await this.backend.delete(this.key(relative), guard);
    if (outcome.ok) this.mirror.wrote(relative, null, outcome.revision, null);
    return outcome;
  }

  /**
   * A put bound to my lease. A lease that vanished between keep-alive and put (it expired, or
   * the store lost it) is replaced once and the put retried, as Patroni does.
   */
  private async putOnLease(
    relative: string,
    value: string,
    guard: Guard | undefined,
    forceKeepAlive: boolean,
  ): Promise<WriteOutcome> {
    const outcome = await this.put(
      relative,
      value,
      guard,
      await this.lease.refresh(forceKeepAlive),
    );
    if (outcome.ok || outcome.reason !== 'lease-not-found') return outcome;
    return this.put(relative, value, guard, await this.lease.grant());
  }

  private async quietly(call: Promise<boolean>): Promise<void> {
    try {
      await call;
    } catch (error) {
      this.options.logger.error(`Failed to write to the DCS: ${errorMessage(error)}`);
    }
  }
}

function revisionGuard(index: number | undefined): Guard | undefined {
  return index === undefined ? undefined : { kind: 'revision', revision: index };
}

/** Any failure of a read is "DCS not accessible" for the HA logic (core.md §2.13). */
function asUnreachable(error: unknown, what: string): PatroniError {
  if (isPatroniError(error, 'DCS_UNREACHABLE')) return error;
  return new PatroniError('DCS_UNREACHABLE', `could not ${what}: ${errorMessage(error)}`, {
    recoverable: true,
    cause: error,
  });
}
