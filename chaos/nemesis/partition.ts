/**
 * Network partitions (nft rules inside the node's namespace): the leader cut off from etcd but
 * reachable by clients and peers, the leader cut off from everything, a replica cut off.
 */
import type { FaultHandle, Nemesis } from '../types.js';
import { leaderNode, once, replicaNode } from './target.js';

export const partitionLeaderFromDcs: Nemesis = {
  name: 'partition-leader-from-dcs',
  hitsLeader: true,
  inject: async (t): Promise<FaultHandle> => {
    const node = await leaderNode(t);
    await t.net.isolateFromDcs(node.name);
    return {
      targets: [node.name],
      description: `${node.name} cut off from etcd (clients and peers still reach it)`,
      heal: once(() => t.net.heal(node.name)),
    };
  },
};

export const isolateLeader: Nemesis = {
  name: 'isolate-leader',
  hitsLeader: true,
  inject: async (t): Promise<FaultHandle> => {
    const node = await leaderNode(t);
    await t.net.isolate(node.name);
    return {
      targets: [node.name],
      description: `${node.name} cut off from everything`,
      heal: once(() => t.net.heal(node.name)),
    };
  },
};

export const isolateReplica: Nemesis = {
  name: 'isolate-replica',
  hitsLeader: false,
  inject: async (t, rng): Promise<FaultHandle> => {
    const node = await replicaNode(t, rng);
    await t.net.isolate(node.name);
    return {
      targets: [node.name],
      description: `replica ${node.name} cut off from everything`,
      heal: once(() => t.net.heal(node.name)),
    };
  },
};
