import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EMPTY_CLUSTER, type ClusterSnapshot } from '../core/model/cluster.js';
import { decodeMember } from '../dcs/codec/member.js';
import type { Dcs, MemberData } from '../dcs/index.js';
import type { Clock } from '../shared/clock.js';
import { MemoryLogger } from '../shared/log/logger.js';
import type { NodeRuntime } from './runtime.js';
import { isSyncStandby, leaveSyncDuty, whileNotSyncStandby } from './sync-duty.js';

const ME = JSON.stringify({
  conn_url: 'postgres://127.0.0.1:5433/postgres',
  api_url: 'http://127.0.0.1:8009/patroni',
  state: 'running',
  role: 'replica',
  version: '3.0.2',
  tags: { clonefrom: true },
});

function cluster(syncStandbys: readonly string[], leader = 'node1'): ClusterSnapshot {
  return {
    ...EMPTY_CLUSTER,
    leader: { name: leader, index: 1, session: '1', member: decodeMember(leader, '{}', 1, null) },
    members: [decodeMember('node2', ME, 2, null)],
    sync: { leader, syncStandbys, quorum: null, index: 3 },
  };
}

/** A clock whose sleeps pass at once, so the 2 * loop_wait budget is counted without waiting. */
function fastClock(): Clock {
  let t = 0;
  return {
    now: () => t,
    wallNow: () => t,
    sleep: (ms) => {
      t += ms;
      return Promise.resolve();
    },
  };
}

function run(reads: ClusterSnapshot[], opts: { sync?: boolean; nosync?: boolean } = {}) {
  const touched: MemberData[] = [];
  let gets = 0;
  const dcs = {
    touchMember: (d: MemberData) => {
      touched.push(d);
      return Promise.resolve(true);
    },
    getCluster: () => {
      const c = reads[Math.min(gets++, reads.length - 1)];
      return c === undefined ? Promise.reject(new Error('down')) : Promise.resolve(c);
    },
  } as unknown as Dcs;
  // leaveSyncDuty reads only these runtime fields.
  const runtime = {
    self: { name: 'node2', tags: { nosync: opts.nosync ?? false } },
    effective: { ha: { synchronousMode: opts.sync ?? true, loopWait: 2 } },
    cluster: cluster(['node2']),
  } as unknown as NodeRuntime;
  const logger = new MemoryLogger();
  const done = leaveSyncDuty({ dcs, runtime, clock: fastClock(), logger });
  return { done, touched, logger, gets: () => gets };
}

describe('leaveSyncDuty (while_not_sync_standby, §8.7)', () => {
  it('publishes nosync and waits until the primary drops us from /sync', async () => {
    const r = run([cluster(['node2']), cluster([])]);
    await r.done;
    assert.equal(r.touched.length, 1);
    const [data] = r.touched;
    assert.ok(data?.tags !== undefined);
    assert.equal(data.tags.nosync, true);
    assert.equal(data.tags.clonefrom, true, 'other tags are kept');
    assert.equal(data.apiUrl, 'http://127.0.0.1:8009/patroni');
    assert.equal(r.gets(), 2);
    assert.deepEqual(
      r.logger.lines.map((l) => l.message),
      ['Waiting for primary to release us from synchronous standby'],
    );
  });

  it('gives up after 2 * loop_wait when the primary never releases us', async () => {
    const r = run([cluster(['node2'])]);
    await r.done;
    assert.equal(r.gets(), 2, 'polls every 2 s for 4 s');
  });

  it('does nothing without synchronous_mode or with a static nosync tag', async () => {
    for (const opts of [{ sync: false }, { nosync: true }]) {
      const r = run([cluster(['node2'])], opts);
      await r.done;
      assert.equal(r.touched.length, 0);
      assert.equal(r.gets(), 0);
    }
  });

  it('stops waiting with a warning when the DCS cannot be read', async () => {
    const r = run([]);
    await r.done;
    assert.deepEqual(
      r.logger.lines.map((l) => l.message),
      ['Could not get cluster state, skipping synchronous standby disable'],
    );
  });
});

describe('isSyncStandby', () => {
  it('is true only when the current lock holder lists us in /sync', () => {
    assert.equal(isSyncStandby(cluster(['NODE2']), 'node2'), true);
    assert.equal(isSyncStandby(cluster(['node3']), 'node2'), false);
    assert.equal(isSyncStandby(cluster(['node2'], 'node2'), 'node2'), false);
    const stale = { ...cluster(['node2']), sync: { ...cluster(['node2']).sync, leader: 'node3' } };
    assert.equal(isSyncStandby(stale, 'node2'), false);
  });
});

describe('whileNotSyncStandby (around POST /restart)', () => {
  function deps(leaderUntil: number) {
    const reads = [cluster(['node2']), cluster([])];
    let gets = 0;
    let wakeups = 0;
    const dcs = {
      wakeup: () => {
        wakeups++;
      },
      getCluster: () => Promise.resolve(reads[Math.min(gets++, 1)]),
    } as unknown as Dcs;
    const runtime = {
      self: { name: 'node2', tags: { nosync: false, nofailover: true } },
      memory: { leaderUntil },
      effective: { ha: { synchronousMode: true, loopWait: 2 } },
    } as unknown as NodeRuntime;
    const d = { dcs, runtime, clock: fastClock(), logger: new MemoryLogger() };
    return { d, runtime, gets: () => gets, wakeups: () => wakeups };
  }

  it('publishes nosync through runtime.self while waiting and working, then takes it back', async () => {
    const x = deps(0);
    let tagsDuringWork: unknown = null;
    const result = await whileNotSyncStandby(x.d, () => {
      tagsDuringWork = { ...x.runtime.self.tags };
      return Promise.resolve('restarted');
    });
    assert.equal(result, 'restarted');
    assert.deepEqual(tagsDuringWork, { nosync: true, nofailover: true });
    assert.deepEqual(x.runtime.self.tags, { nosync: false, nofailover: true });
    assert.equal(x.gets(), 2);
    assert.equal(x.wakeups(), 2, 'the loop republishes at once, before and after');
  });

  it('takes the tag back when the work fails', async () => {
    const x = deps(0);
    await assert.rejects(whileNotSyncStandby(x.d, () => Promise.reject(new Error('boom'))));
    assert.equal(x.runtime.self.tags.nosync, false);
  });

  it('leaves a self replaced by a SIGHUP during the work alone', async () => {
    const x = deps(0);
    const reloaded = { name: 'node2', tags: { nosync: true } } as unknown as NodeRuntime['self'];
    await whileNotSyncStandby(x.d, () => {
      x.runtime.self = reloaded;
      return Promise.resolve();
    });
    assert.equal(x.runtime.self, reloaded);
  });

  it('runs the work directly on the leader', async () => {
    const x = deps(Number.MAX_SAFE_INTEGER);
    assert.equal(await whileNotSyncStandby(x.d, () => Promise.resolve(1)), 1);
    assert.equal(x.gets(), 0);
  });
});
