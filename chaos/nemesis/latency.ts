/**
 * Latency with jitter on every node's etcd traffic (through the nodes' userspace proxies):
 * slow but working DCS, which must not cause a failover by itself.
 */
import type { FaultHandle, Nemesis } from '../types.js';
import { once } from './target.js';

export interface LatencyOptions {
  readonly delayMs?: number;
  readonly jitterMs?: number;
}

export function dcsLatency(options: LatencyOptions = {}): Nemesis {
  const delay = options.delayMs ?? 200;
  const jitter = options.jitterMs ?? 150;
  return {
    name: 'dcs-latency',
    hitsLeader: false,
    inject: async (t): Promise<FaultHandle> => {
      for (const n of t.nodes) await t.net.dcsLatency(n.name, delay, jitter);
      return {
        targets: t.nodes.map((n) => n.name),
        description: `etcd traffic of every node delayed ${delay} ± ${jitter} ms`,
        heal: once(async () => {
          for (const n of t.nodes) await t.net.heal(n.name);
        }),
      };
    },
  };
}
