import assert from 'node:assert/strict';
import { ClusterSim } from './cluster-sim.js';

export const TTL_MS = 30_000;

/** Three empty nodes bootstrap: node1 cycles first, wins `initialize`, the others clone. */
export async function bootstrapped(
  configure: (sim: ClusterSim) => void = () => {},
): Promise<ClusterSim> {
  const sim = new ClusterSim(['node1', 'node2', 'node3']);
  configure(sim);
  await sim.run(120_000, () => {
    const all = [...sim.nodes.values()];
    return sim.leaderKey() === 'node1' && all.every((n) => n.pg.running && !n.pg.starting);
  });
  assert.deepEqual(sim.primaries(), ['node1']);
  await sim.run(30_000);
  return sim;
}

export function promotionsAfter(sim: ClusterSim, t: number): string[] {
  return sim.events.filter((e) => e.kind === 'promote' && e.at >= t).map((e) => e.node);
}

export function lastLeaderRefresh(sim: ClusterSim, name: string): number {
  const refreshes = sim.events.filter(
    (e) =>
      e.node === name && e.kind === 'decision' && e.detail.includes('the leader with the lock'),
  );
  const last = refreshes.at(-1);
  assert.ok(last !== undefined, `${name} never refreshed the lock`);
  return last.at;
}

/** Each node's last sentence and PostgreSQL state, for failure messages. */
export function describeSim(sim: ClusterSim): string {
  const lines = [...sim.nodes.values()].map((n) => {
    const pg = n.pg;
    const state = `${pg.running ? (pg.inRecovery ? 'replica' : 'PRIMARY') : 'stopped'} tl${pg.timeline} up=${pg.upstream ?? '-'}`;
    return `${n.name}${n.alive ? '' : ' (dead)'}: ${state} | ${n.decisions.at(-1)?.info ?? ''}`;
  });
  return `leader key=${sim.leaderKey() ?? 'none'}\n${lines.join('\n')}`;
}

/** One writable primary holding the leader key, every other live node streaming from it. */
export function assertConverged(sim: ClusterSim, rawContext: string, safety = true): string {
  const context = `${rawContext}\n${describeSim(sim)}`;
  const primaries = sim.primaries();
  assert.equal(primaries.length, 1, `${context}: primaries ${JSON.stringify(primaries)}`);
  const leader = primaries[0] ?? '';
  assert.equal(sim.leaderKey(), leader, `${context}: leader key`);
  for (const n of sim.nodes.values()) {
    if (!n.alive || n.name === leader) continue;
    assert.ok(n.pg.running && n.pg.inRecovery, `${context}: ${n.name} is not a running replica`);
    assert.equal(n.pg.upstream, leader, `${context}: ${n.name} streams from ${n.pg.upstream}`);
  }
  if (safety) assert.equal(sim.maxPrimaries, 1, `${context}: two primaries at once`);
  return leader;
}
