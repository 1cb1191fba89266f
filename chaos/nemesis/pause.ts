/**
 * SIGSTOP of the leader's daemon (a hung manager: its PostgreSQL goes on serving) or of its
 * PostgreSQL (postmaster and every backend: a hung server), SIGCONT on heal. `maxHoldMs` caps
 * the hold: the nemesis resumes the processes itself by then if heal has not come yet.
 */
import { childrenOf, signal } from '../topology/processes.js';
import type { FaultHandle, Nemesis } from '../types.js';
import { leaderNode, once } from './target.js';

export interface PauseOptions {
  readonly maxHoldMs?: number;
}

function capped(resume: () => void, maxHoldMs: number | undefined): () => Promise<void> {
  const timer = maxHoldMs === undefined ? null : setTimeout(resume, maxHoldMs);
  return once(() => {
    if (timer !== null) clearTimeout(timer);
    resume();
    return Promise.resolve();
  });
}

export function pauseLeaderDaemon(options: PauseOptions = {}): Nemesis {
  return {
    name: 'pause-leader-daemon',
    hitsLeader: true,
    inject: async (t): Promise<FaultHandle> => {
      const node = await leaderNode(t);
      const pid = node.daemonPid();
      if (pid === null) throw new Error(`${node.name}'s daemon is not running`);
      signal(pid, 'SIGSTOP');
      return {
        targets: [node.name],
        description: `SIGSTOP daemon ${pid} of ${node.name}`,
        heal: capped(() => {
          signal(pid, 'SIGCONT');
        }, options.maxHoldMs),
      };
    },
  };
}

export function pauseLeaderPostgres(options: PauseOptions = {}): Nemesis {
  return {
    name: 'pause-leader-postgres',
    hitsLeader: true,
    inject: async (t): Promise<FaultHandle> => {
      const node = await leaderNode(t);
      const pm = await node.postmasterPid();
      if (pm === null) throw new Error(`${node.name}'s PostgreSQL is not running`);
      // The postmaster first: stopped, it forks no new backend while the others are stopped.
      signal(pm, 'SIGSTOP');
      const children = await childrenOf(pm);
      for (const pid of children) signal(pid, 'SIGSTOP');
      return {
        targets: [node.name],
        description: `SIGSTOP postmaster ${pm} and ${children.length} children of ${node.name}`,
        heal: capped(() => {
          for (const pid of children) signal(pid, 'SIGCONT');
          signal(pm, 'SIGCONT');
        }, options.maxHoldMs),
      };
    },
  };
}
