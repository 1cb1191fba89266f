/** Every nemesis by its stable name, with default parameters. */
import type { Nemesis } from '../types.js';
import { walDiskFull } from './disk.js';
import { etcdQuorumLoss, killEtcdLeader } from './etcd.js';
import { killLeaderDaemon, killLeaderNode, killLeaderPostmaster } from './kill.js';
import { dcsLatency } from './latency.js';
import { isolateLeader, isolateReplica, partitionLeaderFromDcs } from './partition.js';
import { pauseLeaderDaemon, pauseLeaderPostgres } from './pause.js';
import { switchover } from './switchover.js';

export { dcsLatency, pauseLeaderDaemon, pauseLeaderPostgres };
export type { LatencyOptions } from './latency.js';
export type { PauseOptions } from './pause.js';

const all: readonly Nemesis[] = [
  killLeaderDaemon,
  killLeaderPostmaster,
  killLeaderNode,
  pauseLeaderDaemon(),
  pauseLeaderPostgres(),
  partitionLeaderFromDcs,
  isolateLeader,
  isolateReplica,
  killEtcdLeader,
  etcdQuorumLoss,
  dcsLatency(),
  walDiskFull,
  switchover,
];

export const NEMESES: Readonly<Record<string, Nemesis>> = Object.fromEntries(
  all.map((n) => [n.name, n]),
);

/** The nemesis of that name; the error lists the names there are. */
export function nemesis(name: string): Nemesis {
  const n = NEMESES[name];
  if (n === undefined) {
    throw new Error(`no nemesis '${name}' (have: ${Object.keys(NEMESES).join(', ')})`);
  }
  return n;
}
