/**
 * A switchover during load: `POST /switchover` to the leader's REST API with a random candidate
 * (in synchronous mode, a synchronous standby: the only ones Patroni accepts). Nothing to heal.
 */
import type { FaultHandle, Nemesis, Topology } from '../types.js';
import { leaderNode, pick, until } from './target.js';

/** Long enough for a leader to name a synchronous standby again (a few HA cycles). */
const CANDIDATE_WAIT_MS = 30_000;

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
  // The runner's healthy (every replica streaming from the leader) can come before the leader
  // names a synchronous standby again: 1.7 s after healthy following a kill -9 of the leader's
  // node, a switchover in sync mode found no candidate (seed 20261206, step 71).
  prepare: async (t) => {
    await until(
      `a switchover candidate${t.options.mode === 'sync' ? ' (a synchronous standby)' : ''}`,
      async () => {
        const leader = await leaderNode(t).catch(() => null);
        if (leader === null) return false;
        const base = `http://${leader.address}:${leader.restPort}`;
        if ((await candidates(t, base).catch(() => [])).length > 0) return true;
        await new Promise((r) => setTimeout(r, 250));
        return false;
      },
      CANDIDATE_WAIT_MS,
    );
  },
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
