/**
 * The fault suite's short seeded schedule, run by `make test` so that CI catches a regression:
 * ours only, synchronous mode, a handful of faults held for less than the ttl. It must lose no
 * acknowledged row, show no split brain, keep one timeline history and recover from every fault
 * without help. (The full suite, against Patroni 3.0.2 too, is `make chaos`.)
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { runColumn } from '../../chaos/column.js';
import { loadLab } from '../../chaos/registry.js';
import { makeSchedule } from '../../chaos/schedule/schedule.js';

const SEED = 16;
/** One of each kind: process deaths, a hung manager, the leader cut off from etcd, a replica cut off. */
const PREFERRED = [
  'kill-leader-node',
  'pause-leader-daemon',
  'partition-leader-from-dcs',
  'kill-leader-postmaster',
  'isolate-replica',
];

describe('fault suite, short seeded schedule (ours, synchronous_mode)', () => {
  it(
    'loses no acknowledged row, has no split brain and recovers by itself',
    { timeout: 600_000 },
    async () => {
      const l = loadLab('netns');
      const nemeses = PREFERRED.filter((n) => l.nemeses.has(n));
      assert.deepEqual(nemeses, PREFERRED, 'the registry lost a nemesis this test uses');
      const schedule = makeSchedule({
        seed: SEED,
        faults: 5,
        nemeses,
        holdMs: [3000, 8000],
        settleMs: [1000, 2000],
      });
      const r = await runColumn({
        topology: { system: 'patroni-ts', mode: 'sync', ttl: 20, loopWait: 2, retryTimeout: 5 },
        start: l.start,
        topologyName: l.kind,
        schedule,
        nemeses: l.nemeses,
        recoveryDeadlineMs: 60_000,
        log: () => undefined,
      });
      const context = JSON.stringify(
        { seed: SEED, outcomes: r.outcomes, skipped: r.skipped },
        null,
        1,
      );
      assert.equal(r.abandoned, null, context);
      assert.deepEqual(r.skipped, [], context);
      assert.equal(r.outcomes.length, 5, context);
      assert.notEqual(r.finalLeader, null, 'no leader at the end');
      assert.ok(r.writes.acked > 100, `only ${r.writes.acked} acknowledged writes`);
      assert.equal(r.writes.lost, 0, `lost acknowledged rows ${r.writes.lostSample.join(', ')}`);
      assert.equal(r.writes.phantom, 0);
      assert.deepEqual(r.splitBrain, { totalMs: 0, incidents: 0 }, context);
      assert.deepEqual(
        r.outcomes.filter((o) => o.neededHuman).map((o) => o.description),
        [],
        context,
      );
      assert.ok(!('error' in r.timelines) && r.timelines.single, JSON.stringify(r.timelines));
    },
  );
});
