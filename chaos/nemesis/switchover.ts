/**
 * A switchover during load: `POST /switchover` to the leader's REST API with a random candidate
 * (in synchronous mode, a synchronous standby: the only ones Patroni accepts). Nothing to heal.
 */
import type { FaultHandle, Nemesis, Topology } from '../types.js';
import { leaderNode, pick } from './target.js';

interface ClusterMember {
  readonly name: string;
  readonly role: string;
  readonly state: string;
}

async function candidates(t: Topology, restBase: string): Promise<string[]> {
  const res = await fetch(`${restBase}/cluster`, { signal: AbortSignal.timeout(3000) });
  const body = (await res.json()) as { members?: ClusterMember[] };
  const wanted = t.options.mode === 'sync' ? ['sync_standby'] : ['replica', 'sync_standby'];
  return (body.members ?? [])
    .filter((m) => wanted.includes(m.role) && (m.state === 'running' || m.state === 'streaming'))
    .map((m) => m.name)
    .sort();
}

export const switchover: Nemesis = {
  name: 'switchover',
  hitsLeader: true,
  inject: async (t, rng): Promise<FaultHandle> => {
    const leader = await leaderNode(t);
    const base = `http://${leader.address}:${leader.restPort}`;
    const candidate = pick(rng, await candidates(t, base));
    const res = await fetch(`${base}/switchover`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ leader: leader.name, candidate }),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    if (res.status !== 200) {
      throw new Error(`switchover ${leader.name} -> ${candidate}: HTTP ${res.status} ${text}`);
    }
    return {
      targets: [leader.name, candidate],
      description: `switchover ${leader.name} -> ${candidate}: ${text.trim()}`,
      heal: () => Promise.resolve(),
    };
  },
};
