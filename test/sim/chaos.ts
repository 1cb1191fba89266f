import fc from 'fast-check';
import type { ClusterSim } from './cluster-sim.js';
import assert from 'node:assert/strict';
import { assertConverged, bootstrapped, describeSim } from './scenarios.js';

const NODES = ['node1', 'node2', 'node3'] as const;

export type Fault =
  | { kind: 'partition'; node: string; forMs: number }
  | { kind: 'isolate'; node: string; forMs: number }
  | { kind: 'crash'; node: string }
  | { kind: 'restart'; node: string }
  | { kind: 'switchover'; candidate: string }
  | { kind: 'kill'; node: string }
  | { kind: 'pause'; forMs: number };

const node = fc.constantFrom(...NODES);
const fault: fc.Arbitrary<Fault> = fc.oneof(
  fc.record({
    kind: fc.constant('partition' as const),
    node,
    forMs: fc.integer({ min: 1_000, max: 90_000 }),
  }),
  fc.record({
    kind: fc.constant('isolate' as const),
    node,
    forMs: fc.integer({ min: 1_000, max: 90_000 }),
  }),
  fc.record({ kind: fc.constant('crash' as const), node }),
  fc.record({ kind: fc.constant('restart' as const), node }),
  fc.record({ kind: fc.constant('switchover' as const), candidate: node }),
  fc.record({ kind: fc.constant('kill' as const), node }),
  fc.record({
    kind: fc.constant('pause' as const),
    forMs: fc.integer({ min: 1_000, max: 60_000 }),
  }),
);

const PAUSE = '#pause';
const ISOLATED = '#isolated:';
const CONFIG_KEY = '/service/batman/config';

/** `patronictl pause` / `resume`: flips `pause` in the config key as an operator would. */
function setPause(sim: ClusterSim, paused: boolean): void {
  const raw = sim.store.get(CONFIG_KEY)?.value ?? '{}';
  const data = JSON.parse(raw) as Record<string, unknown>;
  sim.store.putRaw(CONFIG_KEY, JSON.stringify({ ...data, pause: paused }));
}
export const schedule = fc.array(fc.tuple(fc.integer({ min: 0, max: 40_000 }), fault), {
  maxLength: 6,
});

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
    case 'isolate':
      sim.setIsolated(f.node, true);
      heals.set(`${ISOLATED}${f.node}`, sim.clock.now() + f.forMs);
      return;
    case 'crash':
      if (sim.node(f.node).alive) sim.node(f.node).pg.crash();
      return;
    case 'restart':
      if (sim.node(f.node).alive) await sim.restartPatroni(f.node);
      return;
    case 'switchover': {
      // As the REST API would accept it (§6.5): a current leader, a live member as candidate,
      // and in synchronous mode a candidate listed in /sync.
      const writer = NODES.find((n) => sim.node(n).alive && !heals.has(n) && !sim.isolated.has(n));
      if (heals.has(PAUSE)) return;
      if (writer === undefined) return;
      const cluster = await sim.node(writer).dcs.getCluster();
      const leader = cluster.leader?.name ?? null;
      const member = cluster.members.some((m) => m.name === f.candidate);
      const syncOk =
        !sim.node(writer).synchronousMode || cluster.sync.syncStandbys.includes(f.candidate);
      if (leader === null || leader === f.candidate || !member || !syncOk) return;
      await sim.node(writer).dcs.setFailoverValue({ leader, candidate: f.candidate });
      return;
    }
    case 'pause':
      setPause(sim, true);
      heals.set(PAUSE, sim.clock.now() + f.forMs);
      return;
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
      if (name === PAUSE) setPause(sim, false);
      else if (name.startsWith(ISOLATED)) sim.setIsolated(name.slice(ISOLATED.length), false);
      else sim.store.setReachable(name, true);
      heals.delete(name);
    }
  }
}

/** Bootstraps, applies `faults` (delays relative to the previous fault), heals, checks. */
export async function runSchedule(
  faults: readonly (readonly [number, Fault])[],
  sync: boolean,
  failsafe: boolean,
): Promise<void> {
  const sim = await bootstrapped((s) => {
    for (const n of s.nodes.values()) {
      n.synchronousMode = sync;
      // A full partition leaves a diverged former primary behind; use_pg_rewind brings it back.
      n.canRewind = true;
      n.failsafeMode = failsafe;
    }
  });
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
    const context = JSON.stringify({ faults, sync, failsafe });
    // Pause is where Patroni itself tolerates parallel primaries (§15): a primary that last saw
    // the cluster paused keeps running through a DCS outage even if the pause has since ended.
    const safety = !faults.some(([, f]) => f.kind === 'pause');
    if (safety) {
      assert.ok(sim.maxPrimaries <= 1, `${context}: two primaries at once\n${describeSim(sim)}`);
    }
    // Once a machine died, Patroni trades liveness for safety in two modes, and so do we:
    // synchronous mode lets only /sync members take over (the dead one may have been the only
    // one, §8.5), failsafe mode only members of the last /failsafe map (§6.1 row 9), which may
    // have been published without the survivors while their member keys had expired.
    if (killed.size === 0 || (!sync && !failsafe)) assertConverged(sim, context, safety);
  } finally {
    await sim.close();
  }
}
