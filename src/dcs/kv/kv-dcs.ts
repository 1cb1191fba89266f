import type { ClusterSnapshot, Lsn, TimelineHistoryLine } from '../../core/model/index.js';
import type { Clock } from '../../shared/clock.js';
import { PatroniError, errorMessage, isPatroniError } from '../../shared/errors.js';
import type { Logger } from '../../shared/log/logger.js';
import { encodeMember, type MemberData } from '../codec/member.js';
import { absoluteKey, KEYS, memberKey, scopePrefix } from '../codec/paths.js';
import type { PrimaryRoleName } from '../codec/roles.js';
import { buildSnapshot, compareVersions, minVersion, type RawEntry } from '../codec/snapshot.js';
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
import { LeaseKeeper } from './lease-keeper.js';
import { ClusterWatch, type WatchStart } from './cluster-watch.js';
import { OwnWrites } from './own-writes.js';

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

interface ReadCache {
  readonly cluster: ClusterSnapshot;
  /** Store revision of the read: a watch starts right after it. */
  readonly revision: number;
  readonly raw: ReadonlyMap<string, RawEntry>;
  readonly at: number;
}

/** Below this member version peers need the legacy `optime/leader` key (core.md §2.7). */
const LEGACY_OPTIME_BEFORE = [2, 1, 0];

/** Patroni's DCS semantics over any revisioned, leased key-value store (etcd v3, memory). */
export class KvDcs implements Dcs {
  readonly name: string;
  readonly basePath: string;
  private timing: DcsTiming;
  private readonly lease: LeaseKeeper;
  private readonly watcher: ClusterWatch;
  private readonly primaryRoleName: PrimaryRoleName;
  private cache: ReadCache | null = null;
  private lastFailsafe: string | null = null;
  private closed = false;

  private readonly backend: OwnWrites;

  constructor(
    backend: KvBackend,
    private readonly options: KvDcsOptions,
  ) {
    this.backend = new OwnWrites(backend);
    this.name = options.name;
    this.basePath = options.basePath;
    this.timing = options.timing;
    this.primaryRoleName = options.primaryRoleName ?? 'master';
    this.lease = new LeaseKeeper(backend, options.clock, this.timing.ttl, this.timing.loopWait);
    this.watcher = new ClusterWatch(this.backend, options.clock, options.logger);
    backend.setRetryTimeout(this.timing.retryTimeout);
  }

  private key(relative: string): string {
    return absoluteKey(this.basePath, relative);
  }

  async getCluster(): Promise<ClusterSnapshot> {
    const prefix = scopePrefix(this.basePath);
    try {
      const { revision, entries } = await this.backend.range(prefix);
      const raw = new Map<string, RawEntry>();
      for (const e of entries) {
        const relative = e.key.slice(prefix.length);
        raw.set(relative, {
          key: relative,
          value: e.value,
          index: e.modRevision,
          session: e.lease,
        });
      }
      const cluster = buildSnapshot([...raw.values()]);
      this.cache = { cluster, revision, raw, at: this.options.clock.now() };
      this.backend.forgetUpTo(revision);
      // What the DCS holds now decides whether the next writeFailsafe must write.
      this.lastFailsafe = raw.get(KEYS.failsafe)?.value ?? null;
      return cluster;
    } catch (error) {
      this.cache = null;
      throw asUnreachable(error, 'read the cluster');
    }
  }

  cachedCluster(): ClusterSnapshot | null {
    return this.freshCache()?.cluster ?? null;
  }

  private freshCache(): ReadCache | null {
    const c = this.cache;
    if (c === null || this.options.clock.now() - c.at > this.timing.ttl * 1000) return null;
    return c;
  }

  async initialize(createNew: boolean, sysid: string): Promise<boolean> {
    const guard: Guard | undefined = createNew ? { kind: 'absent' } : undefined;
    return (await this.put(KEYS.initialize, sysid, guard)).ok;
  }

  async cancelInitialization(): Promise<boolean> {
    return (await this.backend.delete(this.key(KEYS.initialize))).ok;
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
    const guard: Guard = { kind: 'valueOrAbsent', value: this.name };
    const outcome = await this.putOnLease(KEYS.leader, this.name, guard, true);
    if (!outcome.ok) return false;
    // Patroni swallows failures of these two: the lock itself was kept.
    if (lastLsn !== null)
      await this.quietly(this.writeStatus({ optime: lastLsn, slots: slots ?? null }));
    if (failsafe !== undefined && failsafe !== null)
      await this.quietly(this.writeFailsafe(failsafe));
    return true;
  }

  async takeLeader(): Promise<boolean> {
    return (await this.putOnLease(KEYS.leader, this.name, undefined, false)).ok;
  }

  async deleteLeader(lastLsn?: Lsn | null): Promise<boolean> {
    if (lastLsn !== undefined && lastLsn !== null) {
      await this.quietly(this.writeStatus({ optime: lastLsn }));
    }
    const outcome = await this.backend.delete(this.key(KEYS.leader), {
      kind: 'value',
      value: this.name,
    });
    return outcome.ok;
  }

  async touchMember(data: MemberData): Promise<boolean> {
    const value = encodeMember(data, this.primaryRoleName);
    const lease = await this.lease.refresh(false);
    const mine = this.freshCache()?.raw.get(memberKey(this.name));
    if (mine !== undefined && mine.value === value && mine.session === lease) return true;
    const outcome = await this.backend.put(this.key(memberKey(this.name)), value, { lease });
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
    const guard =
      index === undefined ? undefined : ({ kind: 'revision', revision: index } as const);
    return (await this.backend.delete(this.key(KEYS.sync), guard)).ok;
  }

  async writeStatus(value: StatusValue): Promise<boolean> {
    const ok = (await this.put(KEYS.status, encodeStatus(value))).ok;
    const min = minVersion(this.freshCache()?.cluster.members ?? []);
    if (ok && min !== null && compareVersions(min, LEGACY_OPTIME_BEFORE) < 0) {
      await this.put(KEYS.optime, String(value.optime));
    }
    return ok;
  }

  async writeFailsafe(value: FailsafeValue): Promise<boolean> {
    const text = encodeFailsafe(value);
    if (text === this.lastFailsafe) return true;
    const ok = (await this.put(KEYS.failsafe, text)).ok;
    if (ok) this.lastFailsafe = text;
    return ok;
  }

  async deleteCluster(): Promise<boolean> {
    await this.backend.deletePrefix(scopePrefix(this.basePath));
    this.cache = null;
    return true;
  }

  watch(leaderIndex: number | null, timeoutMs: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return this.watcher.wait(this.watchStart(leaderIndex), timeoutMs);
  }

  /**
   * Watch from just after the last read, comparing with what it saw. Without a read (it
   * failed), fall back to the caller's leader revision, with nothing known.
   */
  private watchStart(leaderIndex: number | null): WatchStart | null {
    const prefix = scopePrefix(this.basePath);
    const c = this.cache;
    if (c !== null) {
      const values = new Map([...c.raw].map(([key, entry]) => [key, entry.value]));
      return { prefix, fromRevision: c.revision + 1, values, me: this.name, mine: this.backend };
    }
    if (leaderIndex === null) return null;
    return {
      prefix,
      fromRevision: leaderIndex + 1,
      values: new Map(),
      me: this.name,
      mine: this.backend,
    };
  }

  wakeup(): void {
    this.watcher.wakeup();
  }

  setTiming(timing: DcsTiming): void {
    if (timing.ttl !== this.timing.ttl) this.watcher.wakeup();
    this.timing = timing;
    this.lease.setTiming(timing.ttl, timing.loopWait);
    this.backend.setRetryTimeout(timing.retryTimeout);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.watcher.close();
    await this.backend.close();
  }

  /** The lease ID this client's keys ride, for tests and logs. */
  get leaseId(): string | null {
    return this.lease.current;
  }

  private put(relative: string, value: string, guard?: Guard): Promise<WriteOutcome> {
    const options: PutOptions = guard === undefined ? {} : { guard };
    return this.backend.put(this.key(relative), value, options);
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
    let lease = await this.lease.refresh(forceKeepAlive);
    const options = (l: string): PutOptions =>
      guard === undefined ? { lease: l } : { lease: l, guard };
    let outcome = await this.backend.put(this.key(relative), value, options(lease));
    if (!outcome.ok && outcome.reason === 'lease-not-found') {
      lease = await this.lease.grant();
      outcome = await this.backend.put(this.key(relative), value, options(lease));
    }
    return outcome;
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
