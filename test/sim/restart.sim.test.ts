import { describe, it } from 'node:test';
import { assertConverged, bootstrapped } from './scenarios.js';

/**
 * Habit 12: restart a Patroni process at every intermediate point of a switchover (its memory and
 * running long action lost, PostgreSQL left as it was) and check the cluster still converges to
 * one primary with everyone following it, never two primaries on the way.
 */
describe('simulation: Patroni restarted at every step of a switchover', () => {
  for (const victim of ['node1', 'node3']) {
    it(`restarting ${victim} after each event converges`, async () => {
      const reference = await bootstrapped();
      const base = reference.events.length;
      await reference.node('node2').dcs.setFailoverValue({ leader: 'node1', candidate: 'node3' });
      await reference.run(60_000);
      const steps = reference.events.length - base;
      await reference.close();
      for (let k = 0; k <= Math.min(steps, 30); k++) {
        const sim = await bootstrapped();
        await sim.node('node2').dcs.setFailoverValue({ leader: 'node1', candidate: 'node3' });
        const start = sim.events.length;
        await sim.run(60_000, () => sim.events.length - start >= k);
        await sim.restartPatroni(victim);
        await sim.run(180_000);
        assertConverged(sim, `restart ${victim} after ${k} events`);
        await sim.close();
      }
    });
  }
});
