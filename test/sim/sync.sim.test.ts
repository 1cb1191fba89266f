import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterSim } from './cluster-sim.js';
import { assertConverged, bootstrapped, promotionsAfter } from './scenarios.js';

function withSyncMode(sim: ClusterSim): void {
  for (const n of sim.nodes.values()) n.synchronousMode = true;
}

describe('simulation: synchronous mode (§8)', () => {
  const sims: ClusterSim[] = [];
  after(async () => {
    for (const s of sims) await s.close();
  });

  it('the primary names one standby and records it in /sync once it is synchronous', async () => {
    const sim = await bootstrapped(withSyncMode);
    sims.push(sim);
    await sim.run(30_000);
    const sync = (await sim.node('node2').dcs.getCluster()).sync;
    assert.equal(sync.leader, 'node1');
    assert.equal(sync.syncStandbys.length, 1);
    assert.equal(sim.node('node1').pg.syncStandbyNames, sync.syncStandbys[0]);
  });

  it('leader death: only the synchronous standby may take over', async () => {
    const sim = await bootstrapped(withSyncMode);
    sims.push(sim);
    await sim.run(30_000);
    const standby = (await sim.node('node2').dcs.getCluster()).sync.syncStandbys[0] ?? '';
    const other = standby === 'node2' ? 'node3' : 'node2';
    // The asynchronous node is ahead: it would win a normal race.
    sim.node(other).pg.wal += 10_000;
    const killedAt = sim.clock.now();
    sim.kill('node1');
    await sim.run(150_000, () => sim.primaries().length === 1);
    assert.deepEqual(promotionsAfter(sim, killedAt), [standby]);
    await sim.run(60_000);
    assertConverged(sim, 'after failover in sync mode');
    const sync = (await sim.node(standby).dcs.getCluster()).sync;
    assert.equal(sync.leader, standby);
  });
});
