/**
 * Faults of the DCS itself: the etcd raft leader killed (the others elect a new one), and quorum
 * lost (two of three members killed: no write, no linearizable read) then restored.
 */
import { etcdLeader } from '../topology/etcd-cluster.js';
import type { EtcdMember, FaultHandle, Nemesis } from '../types.js';
import { once, pick, pickSome, until } from './target.js';

async function kill(member: EtcdMember): Promise<void> {
  member.kill('SIGKILL');
  await until(`etcd ${member.name} gone after SIGKILL`, () => member.pid() === null);
}

export const killEtcdLeader: Nemesis = {
  name: 'kill-etcd-leader',
  hitsLeader: false,
  inject: async (t, rng): Promise<FaultHandle> => {
    // Right after an election no member may name a leader yet: then any member will do.
    const member = (await etcdLeader(t.etcd)) ?? pick(rng, t.etcd);
    await kill(member);
    return {
      targets: [],
      description: `kill -9 etcd ${member.name} (raft leader)`,
      heal: once(() => member.start()),
    };
  },
};

export const etcdQuorumLoss: Nemesis = {
  name: 'etcd-quorum-loss',
  hitsLeader: false,
  inject: async (t, rng): Promise<FaultHandle> => {
    const victims = pickSome(rng, t.etcd, Math.floor(t.etcd.length / 2) + (t.etcd.length % 2));
    for (const m of victims) await kill(m);
    return {
      targets: [],
      description: `kill -9 etcd ${victims.map((m) => m.name).join(' and ')}: quorum lost`,
      heal: once(async () => {
        await Promise.all(victims.map((m) => m.start()));
      }),
    };
  },
};
