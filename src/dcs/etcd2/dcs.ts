import type { ClusterSnapshot, Lsn, TimelineHistoryLine } from '../../core/model/index.js';
import type { Clock } from '../../shared/clock.js';
import { errorMessage, isPatroniError, PatroniError } from '../../shared/errors.js';
import type { Logger } from '../../shared/log/logger.js';
import { encodeMember, type MemberData } from '../codec/member.js';
import { absoluteKey, KEYS, memberKey } from '../codec/paths.js';
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
import { ClusterWatch } from '../kv/cluster-watch.js';
import type { Dcs, DcsTiming } from '../port.js';
import { KnownKeys } from './known-keys.js';
import type { Etcd2Store, V2Write, WriteParams } from './store.js';
import { follow } from './watch.js';

export interface Etcd2DcsOptions {
  readonly name: string;
  readonly basePath: string;
  readonly timing: DcsTiming;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly primaryRoleName?: PrimaryRoleName;
}

/** Below this member version peers need the legacy `optime/leader` key (core.md §2.7). */
const LEGACY_OPTIME_BEFORE = [2, 1, 0];

/** A CAS index as v2 takes it: 0 = the key must not exist, none = unconditional. */
function indexGuard(index: number | undefined): WriteParams {
  if (index === undefined) return {};
  return index === 0 ? { prevExist: false } : { prevIndex: index };
}

/**
 * Patroni's DCS semantics on etcd's v2 API, as Patroni 3.0.2's `Etcd` writes them (same keys
 * and JSON as on v3): no leases but a TTL per key. The leader key is created with
 * `prevExist=false` and a TTL, renewed with `prevValue=<me>` (a `refresh`, which watchers are
 * not told about, so a renewal wakes nobody) and deleted with `prevValue=<me>`; member keys
 * carry the TTL and are renewed the same way; config, failover and sync are compare-and-swapped
 * on their `modifiedIndex` (`prevIndex`). Each `getCluster` is one recursive read, as Patroni's
 * v2 client does; a follower's wait is a `wait=true` long poll on the scope directory from just
 * after that read, woken by the same rule as on v3 (wake-rule.ts); the leader does not poll.
 */
export class Etcd2Dcs implements Dcs {
  readonly name: string;
  readonly basePath: string;
  private timing: DcsTiming;
  private readonly primaryRoleName: PrimaryRoleName;
  private readonly known = new KnownKeys();
  private readonly waker: ClusterWatch;
  private lastRead: { cluster: ClusterSnapshot; at: number } | null = null;
  private lastFailsafe: string | null = null;
  /** The index of my last write of the leader key: a refused create that finds it is mine. */
  private leaderIndex: number | null = null;
  /** My member value as last written, and when (its TTL was renewed then). */
  private memberWrite: { value: string; at: number } | null = null;
  private watching: AbortController | null = null;
  private closed = false;

  constructor(
    private readonly store: Etcd2Store,
    private readonly o: Etcd2DcsOptions,
  ) {
    this.name = o.name;
    this.basePath = o.basePath;
    this.timing = o.timing;
    this.primaryRoleName = o.primaryRoleName ?? 'master';
    this.waker = new ClusterWatch(o.clock, this.known);
    store.setRetryTimeout(this.timing.retryTimeout);
  }

  private key(relative: string): string {
    return absoluteKey(this.basePath, relative);
  }

  async getCluster(): Promise<ClusterSnapshot> {
    try {
      const { index, leaves } = await this.store.read(this.basePath);
      const prefix = `${this.basePath}/`;
      const entries: RawEntry[] = leaves
        .filter((n) => n.key.startsWith(prefix))
        .map((n) => ({
          key: n.key.slice(prefix.length),
          value: n.value ?? '',
          index: n.modifiedIndex,
          // Patroni's v2 `Member.session` is the key's TTL.
          session: n.ttl === undefined ? null : String(n.ttl),
        }));
      this.known.seed(index, entries);
      this.waker.rebase();
      const cluster = buildSnapshot(entries);
      this.lastRead = { cluster, at: this.o.clock.now() };
      this.lastFailsafe = this.known.value(KEYS.failsafe) ?? null;
      return cluster;
    } catch (error) {
      this.lastRead = null;
      throw asUnreachable(error, 'read the cluster');
    }
  }

  cachedCluster(): ClusterSnapshot | null {
    return this.freshRead()?.cluster ?? null;
  }

  private freshRead(): { cluster: ClusterSnapshot; at: number } | null {
    const r = this.lastRead;
    if (r === null || this.o.clock.now() - r.at > this.timing.ttl * 1000) return null;
    return r;
  }

  async initialize(createNew: boolean, sysid: string): Promise<boolean> {
    // Patroni: prevExist=(not create_new): a bootstrap race, or an update of the key it won.
    return (await this.write(KEYS.initialize, sysid, { prevExist: !createNew })).ok;
  }

  async cancelInitialization(): Promise<boolean> {
    return (await this.remove(KEYS.initialize)).ok;
  }

  async attemptToAcquireLeader(): Promise<boolean> {
    const ttl = this.timing.ttl;
    const w = await this.write(KEYS.leader, this.name, { ttl, prevExist: false });
    if (w.ok) {
      this.leaderIndex = w.index;
      return true;
    }
    if (w.code !== 105 || (!w.retried && this.leaderIndex === null)) return false;
    // The key exists: mine when it is my own last write, or when an earlier attempt of this
    // call landed though its answer was lost (a retried timeout).
    const node = await this.store.get(this.key(KEYS.leader));
    if (node?.value !== this.name) return false;
    if (w.retried || node.modifiedIndex === this.leaderIndex) {
      this.leaderIndex = node.modifiedIndex;
      return true;
    }
    return false;
  }

  async updateLeader(
    lastLsn: Lsn | null,
    slots?: Readonly<Record<string, Lsn>> | null,
    failsafe?: FailsafeValue | null,
  ): Promise<boolean> {
    const ttl = this.timing.ttl;
    let w = await this.write(KEYS.leader, null, { ttl, refresh: true, prevValue: this.name });
    // Gone (expired, deleted) while nobody else took it: take it again, create-only.
    if (!w.ok && w.code === 100)
      w = await this.write(KEYS.leader, this.name, { ttl, prevExist: false });
    if (!w.ok) return false;
    this.leaderIndex = w.index;
    if (lastLsn !== null)
      await this.quietly(this.writeStatus({ optime: lastLsn, slots: slots ?? null }));
    if (failsafe !== undefined && failsafe !== null)
      await this.quietly(this.writeFailsafe(failsafe));
    return true;
  }

  /** A refresh of the lock's TTL only while it holds my name, then of my member key's. */
  async renewLeaderLease(): Promise<boolean> {
    const ttl = this.timing.ttl;
    const w = await this.write(KEYS.leader, null, { ttl, refresh: true, prevValue: this.name });
    if (!w.ok) return false;
    this.leaderIndex = w.index;
    if (this.memberWrite !== null) {
      const relative = memberKey(this.name);
      const m = await this.write(relative, null, { ttl, refresh: true, prevExist: true });
      if (m.ok) this.memberWrite = { ...this.memberWrite, at: this.o.clock.now() };
    }
    return true;
  }

  async takeLeader(): Promise<boolean> {
    const w = await this.write(KEYS.leader, this.name, { ttl: this.timing.ttl });
    if (w.ok) this.leaderIndex = w.index;
    return w.ok;
  }

  async deleteLeader(lastLsn?: Lsn | null): Promise<boolean> {
    if (lastLsn !== undefined && lastLsn !== null)
      await this.quietly(this.writeStatus({ optime: lastLsn }));
    const ok = (await this.remove(KEYS.leader, { prevValue: this.name })).ok;
    if (ok) this.leaderIndex = null;
    return ok;
  }

  /**
   * Publishes my member key with the TTL. An unchanged value is not written again: its TTL is
   * renewed (`refresh`, unseen by watchers) at most every half loop_wait, so every cycle of a
   * loop that runs each loop_wait renews it; a renewal that finds the key gone writes it.
   */
  async touchMember(data: MemberData): Promise<boolean> {
    const value = encodeMember(data, this.primaryRoleName);
    const relative = memberKey(this.name);
    const ttl = this.timing.ttl;
    const now = this.o.clock.now();
    const last = this.memberWrite;
    if (last?.value === value) {
      if (now - last.at < (this.timing.loopWait * 1000) / 2) return true;
      const w = await this.write(relative, null, { ttl, refresh: true, prevExist: true });
      if (w.ok) {
        this.memberWrite = { value, at: now };
        return true;
      }
    }
    const w = await this.write(relative, value, { ttl });
    this.memberWrite = w.ok ? { value, at: now } : null;
    return w.ok;
  }

  async setConfigValue(
    value: Readonly<Record<string, unknown>> | string,
    index?: number,
  ): Promise<boolean> {
    const text = typeof value === 'string' ? value : encodeConfig(value);
    return (await this.write(KEYS.config, text, indexGuard(index))).ok;
  }

  async setFailoverValue(value: FailoverValue | string, index?: number): Promise<boolean> {
    const text = typeof value === 'string' ? value : encodeFailover(value);
    return (await this.write(KEYS.failover, text, indexGuard(index))).ok;
  }

  async setHistoryValue(value: readonly TimelineHistoryLine[] | string): Promise<boolean> {
    const text = typeof value === 'string' ? value : encodeHistory(value);
    return (await this.write(KEYS.history, text)).ok;
  }

  async setSyncStateValue(value: SyncValue | string, index?: number): Promise<number | false> {
    const text = typeof value === 'string' ? value : encodeSync(value);
    const w = await this.write(KEYS.sync, text, indexGuard(index));
    return w.ok ? w.index : false;
  }

  async deleteSyncState(index?: number): Promise<boolean> {
    const guarded = index !== undefined && index !== 0;
    const w = await this.remove(KEYS.sync, guarded ? { prevIndex: index } : {});
    // Without a condition, a sync key that is not there is deleted already.
    return w.ok || (!guarded && w.code === 100);
  }

  async writeStatus(value: StatusValue): Promise<boolean> {
    const ok = await this.writeUnlessKnown(KEYS.status, encodeStatus(value));
    const min = minVersion(this.freshRead()?.cluster.members ?? []);
    if (ok && min !== null && compareVersions(min, LEGACY_OPTIME_BEFORE) < 0)
      await this.writeUnlessKnown(KEYS.optime, String(value.optime));
    return ok;
  }

  async writeFailsafe(value: FailsafeValue): Promise<boolean> {
    const text = encodeFailsafe(value);
    if (text === this.lastFailsafe) return true;
    const ok = (await this.write(KEYS.failsafe, text)).ok;
    if (ok) this.lastFailsafe = text;
    return ok;
  }

  async deleteCluster(): Promise<boolean> {
    const w = await this.store.delete(this.basePath, { recursive: true });
    return w.ok || w.code === 100;
  }

  async watch(leaderIndex: number | null, timeoutMs: number): Promise<boolean> {
    if (this.closed) return false;
    if (this.known.nextIndex === null && leaderIndex !== null) this.known.startAfter(leaderIndex);
    const controller = new AbortController();
    this.watching = controller;
    // As Patroni's v2 client: only a follower of a known leader long-polls. The leader (and
    // anyone while the lock is free) just naps until loop_wait or a local wakeup (REST), so an
    // idle cluster costs etcd one poll per follower per cycle, not one per node.
    if (leaderIndex !== null && this.known.nextIndex !== null) {
      void follow({
        store: this.store,
        dir: this.basePath,
        known: this.known,
        me: this.name,
        waker: this.waker,
        clock: this.o.clock,
        logger: this.o.logger,
        signal: controller.signal,
      });
    }
    try {
      return await this.waker.wait(timeoutMs);
    } finally {
      controller.abort();
      if (this.watching === controller) this.watching = null;
    }
  }

  wakeup(): void {
    this.waker.wakeup();
  }

  setTiming(timing: DcsTiming): void {
    if (timing.ttl !== this.timing.ttl) this.waker.wakeup();
    this.timing = timing;
    this.store.setRetryTimeout(timing.retryTimeout);
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.watching?.abort();
    this.waker.close();
    this.store.close();
    return Promise.resolve();
  }

  /** A status or optime write skipped when the last read shows the same value (as on v3). */
  private async writeUnlessKnown(relative: string, value: string): Promise<boolean> {
    if (this.freshRead() !== null && this.known.value(relative) === value) return true;
    return (await this.write(relative, value)).ok;
  }

  /** A PUT of mine; once it landed, what I know of the key follows (and its event is mine). */
  private async write(
    relative: string,
    value: string | null,
    params: WriteParams = {},
  ): Promise<V2Write> {
    const w = await this.store.set(this.key(relative), value, params);
    if (w.ok) this.known.own(w.index, relative, value);
    return w;
  }

  private async remove(relative: string, params: WriteParams = {}): Promise<V2Write> {
    const w = await this.store.delete(this.key(relative), params);
    if (w.ok) this.known.own(w.index, relative, null, true);
    return w;
  }

  private async quietly(call: Promise<boolean>): Promise<void> {
    try {
      await call;
    } catch (error) {
      this.o.logger.error(`Failed to write to the DCS: ${errorMessage(error)}`);
    }
  }
}

/** Any failure of a read is "DCS not accessible" for the HA logic (core.md §2.13). */
function asUnreachable(error: unknown, what: string): PatroniError {
  if (isPatroniError(error, 'DCS_UNREACHABLE')) return error;
  return new PatroniError('DCS_UNREACHABLE', `could not ${what}: ${errorMessage(error)}`, {
    recoverable: true,
    cause: error,
  });
}
