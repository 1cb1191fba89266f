import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterSim } from './cluster-sim.js';
import { assertConverged, bootstrapped, promotionsAfter } from './scenarios.js';

describe('simulation: PostgreSQL crashes and nofailover', () => {
  const sims: ClusterSim[] = [];
  after(async () => {
    for (const s of sims) await s.close();
  });

  it('primary PostgreSQL crash: restarted read-only and promoted again in place (3.0.2)', async () => {
    const sim = await bootstrapped();
    sims.push(sim);
    const at = sim.clock.now();
    const timeline = sim.node('node1').pg.timeline;
    sim.node('node1').pg.crash();
    await sim.run(60_000, () => sim.primaries().length === 1);
    assert.deepEqual(promotionsAfter(sim, at), ['node1']);
    assert.equal(sim.node('node1').pg.timeline, timeline + 1);
    assert.ok(
      sim
        .node('node1')
        .decisions.some((d) => d.info === 'starting as readonly because i had the session lock'),
    );
    await sim.run(60_000);
    assert.equal(assertConverged(sim, 'after the crash'), 'node1');
  });

  it('primary crash with primary_start_timeout 0: fail over to a replica at once', async () => {
    const sim = await bootstrapped((s) => {
      for (const n of s.nodes.values()) n.primaryStartTimeout = 0;
    });
    sims.push(sim);
    const at = sim.clock.now();
    sim.node('node1').pg.crash();
    await sim.run(120_000, () => sim.primaries().length === 1);
    const promoted = promotionsAfter(sim, at);
    assert.equal(promoted.length, 1);
    assert.notEqual(promoted[0], 'node1');
    assert.ok(
      sim
        .node('node1')
        .decisions.some((d) => d.info === 'stopped PostgreSQL to fail over after a crash'),
    );
    await sim.run(60_000);
    assert.equal(assertConverged(sim, 'after the crash failover'), promoted[0]);
  });

  it('replica PostgreSQL crash: restarted as a secondary', async () => {
    const sim = await bootstrapped();
    sims.push(sim);
    sim.node('node2').pg.crash();
    await sim.run(30_000);
    assert.ok(sim.node('node2').decisions.some((d) => d.info === 'starting as a secondary'));
    assert.equal(assertConverged(sim, 'after the replica crash'), 'node1');
  });

  it('nofailover replicas never promote, even when the leader is gone for good', async () => {
    const sim = await bootstrapped((s) => {
      s.node('node2').nofailover = true;
      s.node('node3').nofailover = true;
    });
    sims.push(sim);
    const at = sim.clock.now();
    sim.kill('node1');
    await sim.run(180_000);
    assert.deepEqual(promotionsAfter(sim, at), []);
    assert.deepEqual(sim.primaries(), []);
    assert.equal(
      sim.node('node2').decisions.at(-1)?.info,
      'following a different leader because I am not allowed to promote',
    );
  });
});
