import type { Action } from '../../src/core/ha/decision.js';
import type { FollowTarget } from '../../src/core/ha/input.js';
import type { ClusterSnapshot } from '../../src/core/model/cluster.js';
import { isPatroniError } from '../../src/shared/errors.js';
import type { SimNode } from './sim-node.js';

/** DCS writes whose failure the cycle may ignore, as Patroni swallows them. */
async function quietly(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (err) {
    if (!isPatroniError(err, 'DCS_UNREACHABLE')) throw err;
  }
}

function followName(target: FollowTarget | null): string | null {
  return target?.name ?? null;
}

/**
 * The simulation's stand-in for the daemon's executor: maps each Action onto memory-DCS calls
 * and FakePostgres transitions. Long actions go through the node's async slot.
 */
export async function execute(
  node: SimNode,
  actions: readonly Action[],
  cluster: ClusterSnapshot | null,
): Promise<void> {
  for (const action of actions) await executeOne(node, action, cluster);
}

async function executeOne(
  node: SimNode,
  a: Action,
  cluster: ClusterSnapshot | null,
): Promise<void> {
  const { dcs, pg } = node;
  switch (a.type) {
    case 'touchMember':
      return quietly(dcs.touchMember(a.member));
    case 'takeLeader':
      return quietly(dcs.takeLeader());
    case 'releaseLeaderLock':
      return quietly(dcs.deleteLeader(a.lastLsn));
    case 'setInitialize':
      return quietly(dcs.initialize(a.createNew, a.sysid));
    case 'writeDynamicConfig':
      return quietly(dcs.setConfigValue({ ttl: 30, loop_wait: 10, retry_timeout: 10 }));
    case 'clearFailoverKey':
      return quietly(dcs.setFailoverValue({}, a.index));
    case 'rewriteFailoverKey':
      return quietly(
        dcs.setFailoverValue({ candidate: a.candidate, scheduledAt: a.scheduledAt }, a.index),
      );
    case 'writeHistory': {
      const lines =
        a.timeline === 1 ? [] : [[a.timeline - 1, pg.wal, 'no recovery target specified'] as const];
      return quietly(dcs.setHistoryValue(lines));
    }
    case 'bootstrapNewCluster':
      node.startTask(a.task, () => {
        pg.initdb('7118390000000000001');
        return Promise.resolve(true);
      });
      return;
    case 'postBootstrap':
      node.startTask(a.task, () => Promise.resolve(true));
      return;
    case 'cloneFrom':
    case 'reinitialize': {
      const source = a.type === 'cloneFrom' ? a.source : a.from;
      const after = a.type === 'cloneFrom' ? a.followAfter : a.from;
      node.startTask(a.task, () => {
        const src = source === null ? undefined : node.world.pgOf(source.name);
        if (src === undefined || !src.running) return Promise.resolve(false);
        pg.cloneFrom(src);
        pg.startAsReplica(followName(after));
        return Promise.resolve(true);
      });
      return;
    }
    case 'followLeader': {
      const apply = (): Promise<boolean> => {
        pg.startAsReplica(followName(a.target));
        return Promise.resolve(true);
      };
      if (a.task !== null) node.startTask(a.task, apply);
      else await apply();
      return;
    }
    case 'stopPostgres':
      pg.stop();
      return;
    case 'promote':
      node.startTask(a.task, () => {
        pg.promote();
        node.note('promote', `timeline ${pg.timeline}`);
        return Promise.resolve(true);
      });
      return;
    case 'demote':
      return demote(node, a, cluster);
    case 'rewind':
      node.startTask(a.task, () => {
        const source = node.world.pgOf(a.from.name);
        if (source === undefined || !source.running) return Promise.resolve(false);
        pg.rewindFrom(source);
        return Promise.resolve(true);
      });
      return;
    case 'crashRecovery':
      node.startTask(a.task, () => Promise.resolve(true));
      return;
    case 'restartPostgres':
      node.startTask(a.task, () => {
        pg.stop();
        pg.startAsReplica(pg.upstream);
        return Promise.resolve(true);
      });
      return;
    case 'setSynchronousStandbyNames':
      pg.syncStandbyNames = a.value;
      return;
    case 'deleteSyncState':
      return quietly(dcs.deleteSyncState(a.index));
    case 'cancelInFlight':
      node.cancelTask();
      return;
    case 'checkpoint':
      pg.checkpointTimeline = pg.timeline;
      return;
    case 'resumeWalReplay':
    case 'wakeWalReceiver':
    case 'clearScheduledRestart':
    case 'callback':
    case 'watchdogKeepalive':
    case 'disableWatchdog':
      return;
    case 'cancelBootstrap':
    case 'exit':
      throw new Error(`${node.name}: unexpected ${a.type}`);
  }
}

/** `Ha.demote(mode)` (spec/core.md §7.1) on the fake. */
async function demote(
  node: SimNode,
  a: Extract<Action, { type: 'demote' }>,
  _cluster: ClusterSnapshot | null,
): Promise<void> {
  const { pg, dcs } = node;
  const releases = a.mode === 'graceful' || a.mode === 'immediate';
  const stopAndFollow = async (): Promise<boolean> => {
    pg.stop();
    node.note('demote', a.mode);
    if (releases) await quietly(dcs.deleteLeader(a.mode === 'graceful' ? pg.wal : null));
    pg.startAsReplica(followName(a.followAfter));
    return true;
  };
  if (a.task !== null) {
    node.startTask(a.task, stopAndFollow);
    return;
  }
  await stopAndFollow();
}
