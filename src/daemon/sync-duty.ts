import type { ClusterSnapshot } from '../core/model/cluster.js';
import type { Member } from '../core/model/member.js';
import type { Dcs, MemberData } from '../dcs/index.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/log/logger.js';
import type { NodeRuntime } from './runtime.js';

export interface SyncDutyDeps {
  readonly dcs: Dcs;
  readonly runtime: NodeRuntime;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * `while_not_sync_standby` (spec/core.md §8.7): before this node's PostgreSQL stops, publish a
 * temporary `nosync` tag and give the primary up to 2 * loop_wait to move the synchronous duty
 * elsewhere, so its commits never wait on a standby that is going away. The tag is not taken
 * back: the caller is shutting down and the next start publishes the configured tags.
 */
export async function leaveSyncDuty(d: SyncDutyDeps): Promise<void> {
  const { runtime, dcs, logger } = d;
  const me = runtime.self.name;
  const cluster = runtime.cluster;
  if (!runtime.effective.ha.synchronousMode || runtime.self.tags.nosync || cluster === null) return;
  const own = cluster.members.find((m) => m.name === me);
  const data = own === undefined ? null : withNosync(own);
  if (data === null || !(await dcs.touchMember(data).catch(() => false))) {
    logger.warning('Updating member state failed, skipping synchronous standby disable');
    return;
  }
  await waitForRelease(d);
}

/**
 * `while_not_sync_standby(func)` around a replica's `POST /restart` (§8.7). The loop keeps
 * publishing our member key meanwhile, so the temporary `nosync` goes through `runtime.self`,
 * whose tags each cycle publishes (Patroni's `_disable_sync` counter), and is taken back after.
 */
export async function whileNotSyncStandby<T>(d: SyncDutyDeps, work: () => Promise<T>): Promise<T> {
  const { runtime, clock } = d;
  const leader = runtime.memory.leaderUntil > clock.now();
  if (!runtime.effective.ha.synchronousMode || runtime.self.tags.nosync || leader) return work();
  const original = runtime.self;
  const withTag = { ...original, tags: { ...original.tags, nosync: true } };
  runtime.self = withTag;
  try {
    d.dcs.wakeup();
    await waitForRelease(d);
    return await work();
  } finally {
    // A SIGHUP meanwhile replaced self with the configured tags: then there is nothing to undo.
    if (runtime.self === withTag) runtime.self = original;
    d.dcs.wakeup();
  }
}

/** Polls `/sync` every 2 s for up to 2 * loop_wait until the primary no longer lists us. */
async function waitForRelease(d: SyncDutyDeps): Promise<void> {
  const { runtime, dcs, logger, clock } = d;
  const me = runtime.self.name;
  const deadline = clock.now() + 2 * runtime.effective.ha.loopWait * 1000;
  while (clock.now() < deadline) {
    let latest: ClusterSnapshot;
    try {
      latest = await dcs.getCluster();
    } catch {
      logger.warning('Could not get cluster state, skipping synchronous standby disable');
      return;
    }
    if (!isSyncStandby(latest, me)) return;
    logger.info('Waiting for primary to release us from synchronous standby');
    await clock.sleep(2000);
  }
}

/** Listed in `/sync` by the current lock holder (another node). */
export function isSyncStandby(cluster: ClusterSnapshot, me: string): boolean {
  const leader = cluster.leader?.name ?? null;
  if (leader === null || leader === me || cluster.sync.leader !== leader) return false;
  return cluster.sync.syncStandbys.some((s) => s.toLowerCase() === me.toLowerCase());
}

/** Our member key as last read, with `nosync: true`; null when it lacks a required field. */
function withNosync(m: Member): MemberData | null {
  if (m.connUrl === null || m.apiUrl === null || m.state === null) return null;
  if (m.role === null || m.version === null) return null;
  return {
    connUrl: m.connUrl,
    apiUrl: m.apiUrl,
    state: m.state,
    role: m.role,
    version: m.version,
    ...(m.proxyUrl === null ? {} : { proxyUrl: m.proxyUrl }),
    tags: { ...m.tags, nosync: true },
    ...(m.pendingRestart ? { pendingRestart: true } : {}),
    ...(m.xlogLocation === null ? {} : { xlogLocation: m.xlogLocation }),
    ...(m.timeline === null ? {} : { timeline: m.timeline }),
    ...(m.scheduledRestart === null ? {} : { scheduledRestart: m.scheduledRestart }),
    ...(m.pause ? { pause: true } : {}),
  };
}
