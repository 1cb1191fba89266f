import { describe, it } from 'node:test';
import fc from 'fast-check';
import { runSchedule, schedule } from './chaos.js';

describe('simulation: random faults (partitions, crashes, restarts, switchovers, one death)', () => {
  it('never two writable primaries, and the cluster converges once the faults stop', async () => {
    await fc.assert(
      fc.asyncProperty(schedule, fc.boolean(), fc.boolean(), async (faults, sync, failsafe) => {
        await runSchedule(faults, sync, failsafe);
      }),
      { numRuns: 150, seed: Number(process.env['FC_SEED'] ?? 20261122) },
    );
  });
});
