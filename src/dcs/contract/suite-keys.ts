import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { HarnessFactory } from './harness.js';
import { FAST, uniqueScope } from './suite-lock.js';

const MEMBER = {
  connUrl: 'postgres://127.0.0.1:5432/postgres',
  apiUrl: 'http://127.0.0.1:8008/patroni',
  state: 'running',
  role: 'replica',
  version: '3.0.2',
} as const;

/** The other keys: initialize race, CAS on config/failover/sync, status, history, failsafe. */
export function keysContract(make: HarnessFactory): void {
  void it('an empty scope reads as an empty, never-initialized cluster', async () => {
    const h = await make(uniqueScope('empty'));
    try {
      const c = await (await h.client('node1', FAST)).getCluster();
      assert.deepEqual(
        [c.initialize, c.leader, c.members, c.failover, c.config],
        [null, null, [], null, null],
      );
    } finally {
      await h.cleanup();
    }
  });

  void it('initialize: one bootstrap race winner, then the sysid, then cancel', async () => {
    const h = await make(uniqueScope('init'));
    try {
      const [a, b] = [await h.client('node1', FAST), await h.client('node2', FAST)];
      const wins = await Promise.all([a.initialize(true, ''), b.initialize(true, '')]);
      assert.equal(wins.filter(Boolean).length, 1);
      assert.equal((await a.getCluster()).initialize, '');
      assert.equal(await a.initialize(false, '7214328734719876543'), true);
      assert.equal((await b.getCluster()).initialize, '7214328734719876543');
      assert.equal(await b.cancelInitialization(), true);
      assert.equal((await b.getCluster()).initialize, null);
    } finally {
      await h.cleanup();
    }
  });

  void it('failover: a CAS with a stale revision is refused; clearing writes {}', async () => {
    const h = await make(uniqueScope('failover'));
    try {
      const a = await h.client('node1', FAST);
      assert.equal(await a.setFailoverValue({ leader: 'node1', candidate: 'node2' }), true);
      const first = (await a.getCluster()).failover;
      assert.deepEqual([first?.leader, first?.candidate], ['node1', 'node2']);
      assert.equal(await a.setFailoverValue({ candidate: 'node3' }), true);
      assert.equal(await a.setFailoverValue({}, first?.index), false, 'stale revision refused');
      assert.equal(await h.rawGet(`${h.basePath}/failover`), '{"member":"node3"}');
      const current = (await a.getCluster()).failover?.index;
      assert.equal(await a.setFailoverValue({}, current), true);
      assert.equal(await h.rawGet(`${h.basePath}/failover`), '{}');
      const cleared = (await a.getCluster()).failover;
      assert.deepEqual([cleared?.leader, cleared?.candidate], [null, null]);
    } finally {
      await h.cleanup();
    }
  });

  void it('config and sync: CAS on the revision read; sync delete with CAS', async () => {
    const h = await make(uniqueScope('cas'));
    try {
      const a = await h.client('node1', FAST);
      assert.equal(await a.setConfigValue({ ttl: 30, loop_wait: 10 }), true);
      const cfg = (await a.getCluster()).config;
      assert.deepEqual(cfg?.data, { ttl: 30, loop_wait: 10 });
      assert.equal(await a.setConfigValue({ ttl: 20 }, cfg.index), true);
      assert.equal(await a.setConfigValue({ ttl: 10 }, cfg.index), false);
      const rev = await a.setSyncStateValue(
        { leader: 'node1', syncStandbys: ['node3', 'node2'] },
        0,
      );
      assert.ok(rev !== false && rev > 0, 'create with index 0 = must not exist');
      assert.equal(
        await h.rawGet(`${h.basePath}/sync`),
        '{"leader":"node1","sync_standby":"node2,node3"}',
      );
      const sync = (await a.getCluster()).sync;
      assert.deepEqual(
        [sync.leader, sync.syncStandbys, sync.index],
        ['node1', ['node2', 'node3'], rev],
      );
      assert.equal(await a.setSyncStateValue({ leader: 'node1', syncStandbys: [] }, 0), false);
      assert.equal(await a.deleteSyncState(rev - 1), false);
      assert.equal(await a.deleteSyncState(rev), true);
      assert.equal((await a.getCluster()).sync.leader, null);
    } finally {
      await h.cleanup();
    }
  });

  void it('member, status, history and failsafe round-trip through the snapshot', async () => {
    const h = await make(uniqueScope('keys'));
    try {
      const a = await h.client('node1', FAST);
      assert.equal(await a.touchMember({ ...MEMBER, xlogLocation: 100, timeline: 2 }), true);
      assert.equal(await a.writeStatus({ optime: 4242, slots: { logical_1: 4000 } }), true);
      assert.equal(
        await a.setHistoryValue([
          [
            1,
            25165984,
            'no recovery target specified',
            '2023-03-24T10:15:02.120551+00:00',
            'node1',
          ],
        ]),
        true,
      );
      assert.equal(await a.writeFailsafe({ node1: MEMBER.apiUrl }), true);
      const c = await a.getCluster();
      assert.equal(c.members[0]?.name, 'node1');
      assert.deepEqual(
        [c.members[0].xlogLocation, c.members[0].timeline, c.members[0].role],
        [100, 2, 'replica'],
      );
      assert.deepEqual([c.lastLsn, c.slots], [4242, { logical_1: 4000 }]);
      assert.equal(c.history?.lines[0]?.[4], 'node1');
      assert.deepEqual(c.failsafe, { node1: MEMBER.apiUrl });
      assert.equal(await a.deleteCluster(), true);
      assert.equal((await a.getCluster()).members.length, 0);
    } finally {
      await h.cleanup();
    }
  });

  void it('touchMember rewrites only what changed, always on its own lease', async () => {
    const h = await make(uniqueScope('touch'));
    try {
      const a = await h.client('node1', FAST);
      assert.equal(await a.touchMember(MEMBER), true);
      const first = (await a.getCluster()).members[0];
      assert.equal(await a.touchMember(MEMBER), true);
      assert.equal(
        (await a.getCluster()).members[0]?.index,
        first?.index,
        'unchanged: not rewritten',
      );
      assert.equal(await a.touchMember({ ...MEMBER, state: 'stopped' }), true);
      const second = (await a.getCluster()).members[0];
      assert.ok(second !== undefined && first !== undefined);
      assert.equal(second.state, 'stopped');
      assert.ok(second.index > first.index);
    } finally {
      await h.cleanup();
    }
  });
}
