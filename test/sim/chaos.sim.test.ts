import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ClusterSim } from './cluster-sim.js';
import { assertConverged, bootstrapped } from './scenarios.js';

const NODES = ['node1', 'node2', 'node3'] as const;

type Fault =
  | { kind: 'partition'; node: string; forMs: number }
  | { kind: 'crash'; node: string }
  | { kind: 'restart'; node: string }
  | { kind: 'switchover'; candidate: string }
  | { kind: 'kill'; node: string };

const node = fc.constantFrom(...NODES);
const fault: fc.Arbitrary<Fault> = fc.oneof(
  fc.record({
    kind: fc.constant('partition' as const),
    node,
    forMs: fc.integer({ min: 1_000, max: 90_000 }),
  }),
  fc.record({ kind: fc.constant('crash' as const), node }),
  fc.record({ kind: fc.constant('restart' as const), node }),
  fc.record({ kind: fc.constant('switchover' as const), candidate: node }),
  fc.record({ kind: fc.constant('kill' as const), node }),
);
const schedule = fc.array(fc.tuple(fc.integer({ min: 0, max: 40_000 }), fault), { maxLength: 6 });

async function apply(
  sim: ClusterSim,
  f: Fault,
  killed: Set<string>,
  heals: Map<string, number>,
): Promise<void> {
  switch (f.kind) {
    case 'partition':
      sim.store.setReachable(f.node, false);
      heals.set(f.node, sim.clock.now() + f.forMs);
      return;
    case 'crash':
      if (sim.node(f.node).alive) sim.node(f.node).pg.crash();
      return;
    case 'restart':
      if (sim.node(f.node).alive) await sim.restartPatroni(f.node);
      return;
    case 'switchover': {
      const leader = sim.leaderKey();
      const writer = NODES.find((n) => sim.node(n).alive && !heals.has(n));
      if (leader === null || writer === undefined) return;
      await sim.node(writer).dcs.setFailoverValue({ leader, candidate: f.candidate });
      return;
    }
    case 'kill':
      // At most one machine dies for good: two of three must remain to elect a leader.
      if (killed.size === 0) {
        killed.add(f.node);
        sim.kill(f.node);
      }
      return;
  }
}

function healDue(sim: ClusterSim, heals: Map<string, number>, all = false): void {
  for (const [name, at] of [...heals]) {
    if (all || at <= sim.clock.now()) {
      sim.store.setReachable(name, true);
      heals.delete(name);
    }
  }
}

describe('simulation: random faults (partitions, crashes, restarts, switchovers, one death)', () => {
  it('never two writable primaries, and the cluster converges once the faults stop', async () => {
    await fc.assert(
      fc.asyncProperty(schedule, async (faults) => {
        const sim = await bootstrapped();
        const killed = new Set<string>();
        const heals = new Map<string, number>();
        try {
          for (const [delay, f] of [...faults].sort((a, b) => a[0] - b[0])) {
            await sim.run(delay, () => false);
            healDue(sim, heals);
            await apply(sim, f, killed, heals);
          }
          for (let t = 0; t < 12; t++) {
            await sim.run(10_000);
            healDue(sim, heals);
          }
          healDue(sim, heals, true);
          await sim.run(300_000);
          assertConverged(sim, JSON.stringify(faults));
        } finally {
          await sim.close();
        }
      }),
      { numRuns: 150 },
    );
  });
});
