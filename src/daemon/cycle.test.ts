import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Action } from '../core/ha/decision.js';
import { cluster, input, leaderOf, member, STOPPED_PG } from '../core/ha/test-builders.js';
import type { Dcs } from '../dcs/index.js';
import type { Postgresql } from '../postgres/postgresql.js';
import { systemClock } from '../shared/clock.js';
import { MemoryLogger } from '../shared/log/logger.js';
import { AsyncSlot } from './async-slot.js';
import { HaCycle } from './cycle.js';
import type { Executor } from './executor.js';
import type { PeerClient } from './peer-client.js';
import type { NodeRuntime } from './runtime.js';
import type { ReplicationSlots } from './slots.js';

const REWIND = 'running pg_rewind from node3';

/**
 * A replica (node2) whose rewind from the leader node3 is running in the async slot; `reading`
 * runs while the cycle waits for the DCS, as an action's end may land there.
 */
function setup(reading: () => Promise<void>) {
  const log = new MemoryLogger();
  const slot = new AsyncSlot(
    log,
    () => 0,
    () => undefined,
  );
  const leader = member('node3', { role: 'primary' });
  const snapshot = cluster({ leader: leaderOf(leader), members: [leader, member('node2')] });
  const base = input({
    me: 'node2',
    cluster: snapshot,
    memory: { rewind: 'need', rewindTask: REWIND },
  });
  // Only the fields a cycle reads and writes.
  const runtime = {
    self: base.self,
    memory: base.memory,
    effective: { ha: base.settings },
    pg: STOPPED_PG,
    cluster: null,
    dcsLastSeenMs: 0,
    scheduledRestart: null,
    checkpointTimeline: null,
    lastInfo: '',
  } as unknown as NodeRuntime;
  const executed: Action[][] = [];
  const cycle = new HaCycle({
    dcs: {
      getCluster: async () => {
        await reading();
        return snapshot;
      },
    } as unknown as Dcs,
    pg: { observe: () => Promise.resolve(STOPPED_PG) } as unknown as Postgresql,
    peers: {} as unknown as PeerClient,
    slot,
    executor: {
      execute: (actions: readonly Action[]) => {
        executed.push([...actions]);
        return Promise.resolve();
      },
    } as unknown as Executor,
    runtime,
    clock: systemClock,
    logger: log,
    local: () => ({ ...base.local, canRewind: true }),
    failsafePing: () => null,
    slots: { sync: () => Promise.resolve() } as unknown as ReplicationSlots,
  });
  return { slot, cycle, executed, runtime };
}

describe('HaCycle: the long action as one cycle sees it', () => {
  it('an action that ends while the cycle reads the DCS is neither planned again nor lost', async () => {
    let finish = (): void => undefined;
    const { slot, cycle, executed, runtime } = setup(async () => {
      finish();
      // Let the slot record the end before the read returns.
      await new Promise((r) => setImmediate(r));
    });
    const rewind = (): Promise<boolean> =>
      new Promise<boolean>((resolve) => {
        finish = () => {
          resolve(true);
        };
      });
    assert.equal(slot.tryRun(REWIND, rewind), null);

    const first = await cycle.run();
    assert.equal(first.info, `${REWIND} in progress`);
    assert.deepEqual(
      executed[0]?.map((a) => a.type),
      ['touchMember'],
      'no second pg_rewind',
    );

    await cycle.run();
    assert.equal(runtime.memory.rewind, 'success', 'the end of the rewind absorbed');
    assert.ok(
      executed[1]?.some((a) => a.type === 'followLeader'),
      JSON.stringify(executed[1]),
    );
    assert.ok(!executed[1]?.some((a) => a.type === 'rewind'));
  });
});
