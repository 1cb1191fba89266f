/**
 * Stand-in process nemeses (kill -9 and SIGSTOP of the leader's daemon and postmaster), used until
 * chaos/nemesis brings the full registry; they need nothing but pids, so they run on the loopback
 * topology too.
 */
import type { ChaosNode, FaultHandle, Nemesis, Topology } from './types.js';

async function leaderNode(t: Topology): Promise<ChaosNode> {
  const name = await t.leader();
  const node = t.nodes.find((n) => n.name === name);
  if (node === undefined) throw new Error(`no leader to hit (leader key: ${name ?? 'none'})`);
  return node;
}

function signal(pid: number | null, sig: NodeJS.Signals): void {
  if (pid === null) return;
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

const handle = (node: ChaosNode, description: string, heal: () => Promise<void>): FaultHandle => ({
  targets: [node.name],
  description,
  heal,
});

export const LOCAL_NEMESES: readonly Nemesis[] = [
  {
    name: 'kill-leader-daemon',
    hitsLeader: true,
    inject: async (t) => {
      const n = await leaderNode(t);
      signal(n.daemonPid(), 'SIGKILL');
      return handle(n, `kill -9 daemon of ${n.name}`, () => n.startDaemon());
    },
  },
  {
    name: 'kill-leader-postmaster',
    hitsLeader: true,
    inject: async (t) => {
      const n = await leaderNode(t);
      signal(await n.postmasterPid(), 'SIGKILL');
      // The daemon notices and starts PostgreSQL again (or fails over): nothing to undo.
      return handle(n, `kill -9 postmaster of ${n.name}`, () => Promise.resolve());
    },
  },
  {
    name: 'kill-leader-node',
    hitsLeader: true,
    inject: async (t) => {
      const n = await leaderNode(t);
      signal(n.daemonPid(), 'SIGKILL');
      signal(await n.postmasterPid(), 'SIGKILL');
      return handle(n, `kill -9 daemon and postmaster of ${n.name}`, () => n.startDaemon());
    },
  },
  {
    name: 'pause-leader-daemon',
    hitsLeader: true,
    inject: async (t) => {
      const n = await leaderNode(t);
      const pid = n.daemonPid();
      signal(pid, 'SIGSTOP');
      return handle(n, `SIGSTOP daemon of ${n.name}`, () => {
        signal(pid, 'SIGCONT');
        return Promise.resolve();
      });
    },
  },
];
