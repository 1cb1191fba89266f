/**
 * kill -9 on the leader: of its daemon (PostgreSQL runs on, unmanaged), of its postmaster (the
 * daemon sees PostgreSQL crash and restarts it), or of both (the node dies; heal boots it again).
 */
import { signal } from '../topology/processes.js';
import type { ChaosNode, FaultHandle, Nemesis } from '../types.js';
import { leaderNode, once, until } from './target.js';

async function killDaemon(node: ChaosNode): Promise<void> {
  const pid = node.daemonPid();
  if (pid === null) return;
  signal(pid, 'SIGKILL');
  // Only once the harness has seen the exit can startDaemon start a new one.
  await until(`${node.name}'s daemon gone after SIGKILL`, () => node.daemonPid() === null);
}

async function killPostmaster(node: ChaosNode): Promise<number | null> {
  const pid = await node.postmasterPid();
  if (pid !== null) signal(pid, 'SIGKILL');
  return pid;
}

export const killLeaderDaemon: Nemesis = {
  name: 'kill-leader-daemon',
  hitsLeader: true,
  inject: async (t): Promise<FaultHandle> => {
    const node = await leaderNode(t);
    await killDaemon(node);
    return {
      targets: [node.name],
      description: `kill -9 daemon of ${node.name}`,
      heal: once(() => node.startDaemon()),
    };
  },
};

export const killLeaderPostmaster: Nemesis = {
  name: 'kill-leader-postmaster',
  hitsLeader: true,
  inject: async (t): Promise<FaultHandle> => {
    const node = await leaderNode(t);
    const pid = await killPostmaster(node);
    return {
      targets: [node.name],
      description: `kill -9 postmaster ${pid ?? '(none)'} of ${node.name}`,
      // The daemon restarts PostgreSQL itself: nothing to undo.
      heal: () => Promise.resolve(),
    };
  },
};

export const killLeaderNode: Nemesis = {
  name: 'kill-leader-node',
  hitsLeader: true,
  inject: async (t): Promise<FaultHandle> => {
    const node = await leaderNode(t);
    // The daemon first, so that it cannot restart the postmaster in between.
    await killDaemon(node);
    await killPostmaster(node);
    return {
      targets: [node.name],
      description: `kill -9 daemon and postmaster of ${node.name}`,
      heal: once(() => node.startDaemon()),
    };
  },
};
