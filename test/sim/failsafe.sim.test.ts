import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterSim } from './cluster-sim.js';
import { assertConverged, bootstrapped, promotionsAfter } from './scenarios.js';

const FAILSAFE_INFO =
  'continue to run as a leader because failsafe mode is enabled and all members are accessible';

function withFailsafe(sim: ClusterSim): void {
  for (const n of sim.nodes.values()) n.failsafeMode = true;
}

describe('simulation: failsafe mode (§9)', () => {
  const sims: ClusterSim[] = [];
  after(async () => {
    for (const s of sims) await s.close();
  });

  it('the whole DCS down: the primary stays primary while every member answers', async () => {
    const sim = await bootstrapped(withFailsafe);
    sims.push(sim);
    const cutAt = sim.clock.now();
    for (const name of sim.nodes.keys()) sim.store.setReachable(name, false);
    await sim.run(100_000);
    assert.deepEqual(sim.primaries(), ['node1']);
    assert.equal(sim.events.filter((e) => e.kind === 'demote' && e.at >= cutAt).length, 0);
    assert.equal(sim.node('node1').decisions.at(-1)?.info, FAILSAFE_INFO);
    assert.equal(sim.node('node2').decisions.at(-1)?.info, 'DCS is not accessible');
    for (const name of sim.nodes.keys()) sim.store.setReachable(name, true);
    await sim.run(60_000);
    assert.equal(assertConverged(sim, 'after the outage'), 'node1');
    assert.deepEqual(promotionsAfter(sim, cutAt), []);
  });

  it('only the primary cut off: replicas keep following it instead of racing', async () => {
    const sim = await bootstrapped(withFailsafe);
    sims.push(sim);
    const cutAt = sim.clock.now();
    sim.store.setReachable('node1', false);
    await sim.run(100_000);
    assert.deepEqual(promotionsAfter(sim, cutAt), []);
    assert.deepEqual(sim.primaries(), ['node1']);
    assert.equal(sim.leaderKey(), null, 'the leader key expired');
    assert.equal(
      sim.node('node2').decisions.at(-1)?.info,
      'no action. I am (node2), a secondary, and following a leader (node1)',
    );
    sim.store.setReachable('node1', true);
    await sim.run(60_000);
    assert.equal(assertConverged(sim, 'after the partition'), 'node1');
  });

  it('a member dies during the outage: the primary can no longer prove it is alone, it demotes', async () => {
    const sim = await bootstrapped(withFailsafe);
    sims.push(sim);
    const cutAt = sim.clock.now();
    for (const name of sim.nodes.keys()) sim.store.setReachable(name, false);
    await sim.run(20_000);
    sim.kill('node3');
    await sim.run(30_000);
    assert.deepEqual(sim.primaries(), []);
    const demotion = sim.events.find((e) => e.kind === 'demote' && e.at >= cutAt);
    assert.equal(demotion?.detail, 'offline');
    assert.equal(sim.maxPrimaries, 1);
  });
});
