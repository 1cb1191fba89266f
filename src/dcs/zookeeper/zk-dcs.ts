import type { ClusterSnapshot, Lsn, TimelineHistoryLine } from '../../core/model/index.js';
import type { Clock } from '../../shared/clock.js';
import { PatroniError, errorMessage, isPatroniError } from '../../shared/errors.js';
import type { Logger } from '../../shared/log/logger.js';
import { parseObject } from '../codec/json.js';
import { encodeMember, type MemberData } from '../codec/member.js';
import { KEYS, memberKey } from '../codec/paths.js';
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
import { ClusterWatch } from '../kv/cluster-watch.js';
import type { Dcs, DcsTiming } from '../port.js';
import { ZkMirror } from './mirror.js';
import type { ZkAcl } from './acls.js';
import { ZkSession } from './session.js';
import { ZkWrites } from './writes.js';

export interface ZkDcsOptions {
  readonly name: string;
  readonly basePath: string;
  readonly hosts: readonly string[];
  /** `set_acls`: the ACL of every node this client creates. */
  readonly acls?: readonly ZkAcl[];
  readonly timing: DcsTiming;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly primaryRoleName?: PrimaryRoleName;
  /** Called once by close(), after the session is closed (e.g. to close TLS tunnels). */
  readonly onClose?: () => void;
}

/** Below this member version peers need the legacy `optime/leader` key (core.md §2.7). */
const LEGACY_OPTIME_BEFORE = [2, 1, 0];

/**
 * Patroni's DCS semantics on ZooKeeper, as its `zookeeper.py` keeps them: the leader and member
 * keys are ephemeral nodes of this node's session (whose timeout is the ttl), everything else
 * is persistent; the cluster is read from a copy kept current by watches (mirror.ts).
 *
 * Not a `KvBackend` under `KvDcs`: ZooKeeper has no ranges, no watches that replay from a
 * revision and no lease that can be attached to an existing key, so the KV layer's mirror and
 * lease keeper do not fit; the semantics are written here against ZooKeeper's own primitives.
 */
export class ZkDcs implements Dcs {
  readonly name: string;
  readonly basePath: string;
  private timing: DcsTiming;
  private readonly session: ZkSession;
  private readonly mirror: ZkMirror;
  private readonly writes: ZkWrites;
  private readonly waker: ClusterWatch;
  private readonly primaryRoleName: PrimaryRoleName;
  private lastRead: { cluster: ClusterSnapshot; at: number } | null = null;
  private lastFailsafe: string | null = null;
  private closed = false;

  constructor(private readonly o: ZkDcsOptions) {
    this.name = o.name;
    this.basePath = o.basePath;
    this.timing = o.timing;
    this.primaryRoleName = o.primaryRoleName ?? 'master';
    this.waker = new ClusterWatch(o.clock, { has: () => false });
    this.session = new ZkSession(
      o.hosts,
      o.timing.ttl,
      o.timing.retryTimeout,
      o.clock,
      o.logger,
      o.acls,
      {
        onDisconnected: () => {
          this.mirror.distrust();
        },
        onSessionLost: () => {
          this.mirror.distrust();
          this.waker.watchLost();
        },
      },
    );
    this.mirror = new ZkMirror(this.session, o.basePath, o.name, this.waker, o.logger);
    this.writes = new ZkWrites(this.session, this.mirror, o.basePath);
  }

  /** Waits up to `ms` for the session to be established; false when it was not. */
  connect(ms: number): Promise<boolean> {
    return this.session.connect(ms);
  }

  /** The ensemble changed (Exhibitor). */
  setHosts(hosts: readonly string[]): void {
    this.session.setHosts(hosts);
  }

  async getCluster(): Promise<ClusterSnapshot> {
    try {
      const cluster = await this.mirror.read();
      this.lastRead = { cluster, at: this.o.clock.now() };
      this.lastFailsafe = this.mirror.entry(KEYS.failsafe)?.value ?? null;
      this.waker.rebase();
      return cluster;
    } catch (error) {
      this.lastRead = null;
      this.mirror.distrust();
      throw asUnreachable(error, 'read the cluster');
    }
  }

  cachedCluster(): ClusterSnapshot | null {
    const r = this.lastRead;
    if (r === null || this.o.clock.now() - r.at > this.timing.ttl * 1000) return null;
    return r.cluster;
  }

  async initialize(createNew: boolean, sysid: string): Promise<boolean> {
    return (
      (await this.writes.setOrCreate(KEYS.initialize, sysid, createNew ? 0 : undefined)) !== false
    );
  }

  async cancelInitialization(): Promise<boolean> {
    await this.writes.remove(KEYS.initialize);
    return true;
  }

  async attemptToAcquireLeader(): Promise<boolean> {
    if (await this.writes.createEphemeral(KEYS.leader, this.name)) return true;
    // An earlier attempt of mine may have landed though its answer was lost.
    return this.leaderIsMine();
  }

  /** The leader node holds my name on my current session. */
  private async leaderIsMine(): Promise<boolean> {
    const data = await this.session.run('read leader', (n) =>
      n.getData(this.writes.path(KEYS.leader)),
    );
    return data !== null && data.value === this.name && data.stat.owner === this.session.id;
  }

  /**
   * Patroni's `_update_leader`: my session keeps the node alive, so there is nothing to renew;
   * a node of mine on an older session is re-created on this one, a vanished one re-created.
   * Another holder's node is never touched.
   */
  async updateLeader(
    lastLsn: Lsn | null,
    slots?: Readonly<Record<string, Lsn>> | null,
    failsafe?: FailsafeValue | null,
  ): Promise<boolean> {
    const path = this.writes.path(KEYS.leader);
    const data = await this.session.run('read leader', (n) => n.getData(path));
    if (data === null) {
      if (!(await this.writes.createEphemeral(KEYS.leader, this.name))) return false;
    } else if (data.value !== this.name) {
      return false;
    } else if (data.stat.owner !== this.session.id) {
      this.o.logger.warning('Recreating the leader ZNode due to ownership mismatch');
      if (!(await this.writes.remove(KEYS.leader, data.stat.version))) return false;
      if (!(await this.writes.createEphemeral(KEYS.leader, this.name))) return false;
    }
    if (lastLsn !== null)
      await this.quietly(this.writeStatus({ optime: lastLsn, slots: slots ?? null }));
    if (failsafe !== undefined && failsafe !== null)
      await this.quietly(this.writeFailsafe(failsafe));
    return true;
  }

  /**
   * My session keeps the lock and my member node alive, and every request it answers renews
   * the session: a read that finds the lock mine on this session is the renewal.
   */
  renewLeaderLease(): Promise<boolean> {
    return this.leaderIsMine();
  }

  /** Right after bootstrap: the lock becomes mine whoever held it. */
  async takeLeader(): Promise<boolean> {
    if (await this.writes.createEphemeral(KEYS.leader, this.name)) return true;
    if (await this.leaderIsMine()) return true;
    await this.writes.remove(KEYS.leader);
    return this.writes.createEphemeral(KEYS.leader, this.name);
  }

  async deleteLeader(lastLsn?: Lsn | null): Promise<boolean> {
    if (lastLsn !== undefined && lastLsn !== null)
      await this.quietly(this.writeStatus({ optime: lastLsn }));
    const data = await this.session.run('read leader', (n) =>
      n.getData(this.writes.path(KEYS.leader)),
    );
    if (data?.value !== this.name) return false;
    return this.writes.remove(KEYS.leader, data.stat.version);
  }

  /**
   * Patroni's `touch_member`: skipped when unchanged; a member node of another session, or one
   * whose tags, running state or version changed, is deleted and created again so that the
   * children watch of Patroni peers (which do not watch member data) sees it.
   */
  async touchMember(data: MemberData): Promise<boolean> {
    const value = encodeMember(data, this.primaryRoleName);
    const relative = memberKey(this.name);
    const known =
      this.mirror.live || this.cachedCluster() !== null ? this.mirror.entry(relative) : undefined;
    const session = this.session.id;
    if (
      known !== undefined &&
      known.value === value &&
      known.session === session &&
      session !== null
    )
      return true;
    if (known !== undefined && (known.session !== session || notable(known.value, value))) {
      await this.writes.remove(relative);
      return this.writes.createEphemeral(relative, value);
    }
    if (await this.writes.createEphemeral(relative, value)) return true;
    return (await this.writes.setOrCreate(relative, value)) !== false;
  }

  async setConfigValue(
    value: Readonly<Record<string, unknown>> | string,
    index?: number,
  ): Promise<boolean> {
    const text = typeof value === 'string' ? value : encodeConfig(value);
    return (await this.writes.setOrCreate(KEYS.config, text, index)) !== false;
  }

  async setFailoverValue(value: FailoverValue | string, index?: number): Promise<boolean> {
    const text = typeof value === 'string' ? value : encodeFailover(value);
    return (await this.writes.setOrCreate(KEYS.failover, text, index)) !== false;
  }

  async setHistoryValue(value: readonly TimelineHistoryLine[] | string): Promise<boolean> {
    const text = typeof value === 'string' ? value : encodeHistory(value);
    return (await this.writes.setOrCreate(KEYS.history, text)) !== false;
  }

  async setSyncStateValue(value: SyncValue | string, index?: number): Promise<number | false> {
    const text = typeof value === 'string' ? value : encodeSync(value);
    const stat = await this.writes.setOrCreate(KEYS.sync, text, index);
    return stat === false ? false : stat.mzxid;
  }

  /** As Patroni on ZooKeeper: `sync` becomes `{}` (CAS on `index` when given). */
  async deleteSyncState(index?: number): Promise<boolean> {
    return (await this.writes.setOrCreate(KEYS.sync, '{}', index)) !== false;
  }

  async writeStatus(value: StatusValue): Promise<boolean> {
    const ok = await this.putUnlessKnown(KEYS.status, encodeStatus(value));
    const min = minVersion(this.cachedCluster()?.members ?? []);
    if (ok && min !== null && compareVersions(min, LEGACY_OPTIME_BEFORE) < 0) {
      await this.putUnlessKnown(KEYS.optime, String(value.optime));
    }
    return ok;
  }

  private async putUnlessKnown(relative: string, value: string): Promise<boolean> {
    if (this.mirror.live && this.mirror.entry(relative)?.value === value) return true;
    return (await this.writes.setOrCreate(relative, value)) !== false;
  }

  async writeFailsafe(value: FailsafeValue): Promise<boolean> {
    const text = encodeFailsafe(value);
    if (text === this.lastFailsafe) return true;
    const ok = (await this.writes.setOrCreate(KEYS.failsafe, text)) !== false;
    if (ok) this.lastFailsafe = text;
    return ok;
  }

  async deleteCluster(): Promise<boolean> {
    await this.session.run('delete cluster', (n) => n.removeRecursive(this.basePath));
    this.mirror.distrust();
    return true;
  }

  watch(_leaderIndex: number | null, timeoutMs: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return this.waker.wait(timeoutMs);
  }

  wakeup(): void {
    this.waker.wakeup();
  }

  setTiming(timing: DcsTiming): void {
    this.timing = timing;
    this.session.setRetryTimeout(timing.retryTimeout);
    this.session.setTtl(timing.ttl);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.waker.close();
    await this.session.close();
    this.o.onClose?.();
  }

  private async quietly(call: Promise<boolean>): Promise<void> {
    try {
      await call;
    } catch (error) {
      this.o.logger.error(`Failed to write to the DCS: ${errorMessage(error)}`);
    }
  }
}

/**
 * The member changes Patroni announces by re-creating the node: tags, version,
 * checkpoint_after_promote, or the state entering or leaving `running`.
 */
function notable(before: string, after: string): boolean {
  const a = parseObject(before);
  const b = parseObject(after);
  if (a === null || b === null) return true;
  const same = (k: string): boolean => JSON.stringify(a[k] ?? {}) === JSON.stringify(b[k] ?? {});
  const running =
    a['state'] === b['state'] || (a['state'] !== 'running' && b['state'] !== 'running');
  return !(same('tags') && running && same('version') && same('checkpoint_after_promote'));
}

function asUnreachable(error: unknown, what: string): PatroniError {
  if (isPatroniError(error, 'DCS_UNREACHABLE')) return error;
  return new PatroniError('DCS_UNREACHABLE', `could not ${what}: ${errorMessage(error)}`, {
    recoverable: true,
    cause: error,
  });
}
