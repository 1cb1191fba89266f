import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hasFailoverRequest } from '../../src/core/model/cluster.js';
import type { ClusterSim } from './cluster-sim.js';
import { bootstrapped, lastLeaderRefresh, promotionsAfter, TTL_MS } from './scenarios.js';

describe('simulation: three nodes, memory DCS, fake PostgreSQL, manual clock', () => {
  const sims: ClusterSim[] = [];
  after(async () => {
    for (const s of sims) await s.close();
  });

  it('bootstraps one primary and two streaming replicas', async () => {
    const sim = await bootstrapped();
    sims.push(sim);
    assert.equal(sim.maxPrimaries, 1);
    assert.equal(sim.node('node2').pg.upstream, 'node1');
    assert.equal(sim.node('node3').pg.upstream, 'node1');
    assert.ok(sim.node('node1').pg.wal - sim.node('node2').pg.wal <= 100);
    assert.equal(
      sim.node('node2').decisions.at(-1)?.info,
      'no action. I am (node2), a secondary, and following a leader (node1)',
    );
  });

  it('leader death: exactly one promotion, only after the lock expired', async () => {
    const sim = await bootstrapped();
    sims.push(sim);
    const lastRefresh = lastLeaderRefresh(sim, 'node1');
    const killedAt = sim.clock.now();
    sim.kill('node1');
    await sim.run(120_000, () => sim.primaries().length === 1);
    const promoted = promotionsAfter(sim, killedAt);
    assert.equal(promoted.length, 1, JSON.stringify(promoted));
    const winner = promoted[0] ?? '';
    const promotion = sim.events.find((e) => e.kind === 'promote' && e.node === winner);
    assert.ok(promotion !== undefined && promotion.at >= lastRefresh + TTL_MS);
    assert.equal(sim.leaderKey(), winner);
    await sim.run(40_000);
    const other = winner === 'node2' ? 'node3' : 'node2';
    assert.equal(sim.node(other).pg.upstream, winner);
    assert.equal(promotionsAfter(sim, killedAt).length, 1);
    assert.equal(sim.maxPrimaries, 1);
  });

  it('switchover to a named candidate', async () => {
    const sim = await bootstrapped();
    sims.push(sim);
    const at = sim.clock.now();
    assert.ok(
      await sim.node('node2').dcs.setFailoverValue({ leader: 'node1', candidate: 'node3' }),
    );
    await sim.run(120_000, () => sim.leaderKey() === 'node3' && sim.primaries()[0] === 'node3');
    assert.deepEqual(promotionsAfter(sim, at), ['node3']);
    await sim.run(40_000);
    assert.deepEqual(sim.primaries(), ['node3']);
    assert.equal(sim.node('node1').pg.upstream, 'node3');
    assert.equal(sim.node('node2').pg.upstream, 'node3');
    assert.ok(!hasFailoverRequest(await sim.node('node2').dcs.getCluster()));
    assert.ok(
      sim.node('node1').decisions.some((d) => d.info === 'manual failover: demoting myself'),
    );
    assert.equal(sim.maxPrimaries, 1);
  });

  it('a leader cut off from the DCS demotes before anyone can take its lock', async () => {
    const sim = await bootstrapped();
    sims.push(sim);
    const lastRefresh = lastLeaderRefresh(sim, 'node1');
    const cutAt = sim.clock.now();
    sim.store.setReachable('node1', false);
    await sim.run(120_000, () => promotionsAfter(sim, cutAt).length > 0);
    const demotion = sim.events.find(
      (e) => e.kind === 'demote' && e.node === 'node1' && e.at >= cutAt,
    );
    const promotion = sim.events.find((e) => e.kind === 'promote' && e.at >= cutAt);
    assert.ok(demotion !== undefined && promotion !== undefined);
    assert.equal(demotion.detail, 'offline');
    assert.ok(demotion.at < lastRefresh + TTL_MS, 'demoted before the lock could expire');
    assert.ok(demotion.at < promotion.at);
    assert.equal(sim.maxPrimaries, 1);
    assert.ok(
      sim
        .node('node1')
        .decisions.some(
          (d) => d.info === 'demoting self because DCS is not accessible and I was a leader',
        ),
    );
  });
});
