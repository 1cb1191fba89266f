import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterSim } from './cluster-sim.js';
import { assertConverged, bootstrapped, promotionsAfter } from './scenarios.js';

describe('simulation: a diverged former primary comes back (§11)', () => {
  const sims: ClusterSim[] = [];
  after(async () => {
    for (const s of sims) await s.close();
  });

  it('with use_pg_rewind: rewinds from the new leader and streams again', async () => {
    const sim = await bootstrapped((s) => {
      for (const n of s.nodes.values()) n.canRewind = true;
    });
    sims.push(sim);
    const at = sim.clock.now();
    sim.setIsolated('node1', true);
    await sim.run(120_000, () => promotionsAfter(sim, at).length > 0);
    const winner = promotionsAfter(sim, at)[0] ?? '';
    assert.ok(winner !== '' && winner !== 'node1');
    const forkedAt = sim.node(winner).pg.history.at(-1)?.switchLsn ?? 0;
    assert.ok(sim.node('node1').pg.wal > forkedAt, 'node1 wrote past the fork point');
    assert.ok(sim.node('node1').pg.divergedFrom(sim.node(winner).pg));
    sim.setIsolated('node1', false);
    await sim.run(120_000);
    assert.ok(
      sim.node('node1').decisions.some((d) => d.info === `running pg_rewind from ${winner}`),
      'node1 ran pg_rewind',
    );
    assert.equal(assertConverged(sim, 'after the rewind'), winner);
    assert.ok(!sim.node('node1').pg.divergedFrom(sim.node(winner).pg));
  });

  it('without use_pg_rewind: the former primary is not started against the new timeline blindly', async () => {
    const sim = await bootstrapped();
    sims.push(sim);
    const at = sim.clock.now();
    sim.setIsolated('node1', true);
    await sim.run(120_000, () => promotionsAfter(sim, at).length > 0);
    sim.setIsolated('node1', false);
    await sim.run(120_000);
    assert.equal(sim.maxPrimaries, 1);
    assert.ok(!sim.node('node1').decisions.some((d) => d.info.startsWith('running pg_rewind')));
    // Patroni 3.0.2 leaves it a replica that cannot stream until an operator reinitializes it.
    assert.ok(sim.node('node1').pg.inRecovery);
  });
});
