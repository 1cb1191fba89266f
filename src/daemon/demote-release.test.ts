/**
 * A graceful demotion runs in the async slot while HA cycles go on; it must release the leader
 * key between two cycles, as Patroni's async executor lock makes it. A cycle that read the lock
 * as mine before the release and refreshed it after re-created the key (ZooKeeper's
 * `updateLeader` re-creates a vanished node, etcd's writes it when absent): the old primary
 * kept the lock the switchover candidate was waiting for.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Dcs } from '../dcs/index.js';
import type { Postgresql } from '../postgres/postgresql.js';
import { MemoryLogger } from '../shared/log/logger.js';
import { AsyncSlot } from './async-slot.js';
import { Executor } from './executor.js';
import type { NodeRuntime } from './runtime.js';

function world() {
  const events: string[] = [];
  let stopped: () => void = () => undefined;
  const stopDone = new Promise<void>((r) => (stopped = r));
  const log = new MemoryLogger();
  const slot = new AsyncSlot(
    log,
    () => 0,
    () => undefined,
  );
  const pg = {
    ctx: { paths: { dataDir: '/nonexistent/data' } },
    checkpoint: () => Promise.resolve(),
    stop: async () => {
      events.push('stop');
      await stopDone;
      return true;
    },
    follow: () => {
      events.push('start as replica');
      return Promise.resolve('running');
    },
  } as unknown as Postgresql;
  const dcs = {
    deleteLeader: () => {
      events.push('release key');
      return Promise.resolve(true);
    },
  } as unknown as Dcs;
  const executor = new Executor({
    dcs,
    pg,
    slot,
    // The demote path never reads the runtime.
    runtime: {} as unknown as NodeRuntime,
    bootstrap: {},
    logger: log,
    name: 'node1',
    sleep: () => Promise.resolve(),
  });
  return { events, slot, executor, stopped };
}

/** Lets every pending promise callback run (the demotion's steps are all resolved at once). */
async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
}

describe('demotion: leader key release and HA cycles', () => {
  it('releases the key of a graceful demotion only once the running cycle has ended', async () => {
    const { events, slot, executor, stopped } = world();
    await executor.execute([
      {
        type: 'demote',
        mode: 'graceful',
        task: 'manual failover: demote',
        followAfter: null,
        releaseCandidates: [],
      },
    ]);
    await settle();
    // The next cycle starts (it reads the lock as mine) while the task stops PostgreSQL.
    let endCycle: () => void = () => undefined;
    const cycleEnds = new Promise<void>((r) => (endCycle = r));
    const cycle = slot.exclusive(async () => {
      events.push('cycle reads the lock');
      await cycleEnds;
      events.push('cycle refreshes the lock');
    });
    await settle();
    stopped();
    await settle();
    assert.deepEqual(events, ['stop', 'cycle reads the lock']);
    endCycle();
    await cycle;
    await slot.idle(1);
    assert.deepEqual(events, [
      'stop',
      'cycle reads the lock',
      'cycle refreshes the lock',
      'release key',
      'start as replica',
    ]);
    assert.deepEqual(slot.takeFinished(), {
      action: 'manual failover: demote',
      ok: true,
      result: true,
    });
  });

  it('releases at once in an immediate demotion, which the cycle itself carries out', async () => {
    const { events, slot, executor, stopped } = world();
    stopped();
    // The executor runs inside the cycle's exclusive section: waiting for it would deadlock.
    await slot.exclusive(() =>
      executor.execute([
        {
          type: 'demote',
          mode: 'immediate',
          task: null,
          followAfter: null,
          releaseCandidates: [],
        },
      ]),
    );
    await slot.idle(1);
    assert.deepEqual(events, ['stop', 'release key', 'start as replica']);
  });
});
