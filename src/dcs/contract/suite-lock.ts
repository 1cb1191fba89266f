import assert from 'node:assert/strict';
import { it } from 'node:test';
import { eventually, type HarnessFactory } from './harness.js';

/** Fast timings: ttl 3 s, loop_wait 1 s, retry_timeout 1 s (loop_wait + 2*retry <= ttl). */
export const FAST = { ttl: 3, loopWait: 1, retryTimeout: 1 } as const;

let counter = 0;
export function uniqueScope(label: string): string {
  counter += 1;
  return `${label}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

/** The leader lock: race, ownership, expiry, release (spec/core.md §3.1, §3.5). */
export function leaderLockContract(make: HarnessFactory, races: number): void {
  void it(`two clients race for the lock: exactly one wins, ${races} times`, async () => {
    for (let round = 0; round < races; round++) {
      const h = await make(uniqueScope('race'));
      try {
        const [a, b] = [await h.client('node1', FAST), await h.client('node2', FAST)];
        const wins = await Promise.all([a.attemptToAcquireLeader(), b.attemptToAcquireLeader()]);
        assert.equal(wins.filter(Boolean).length, 1, `round ${round}: ${JSON.stringify(wins)}`);
        const winner = wins[0] ? 'node1' : 'node2';
        assert.equal(await h.rawGet(`${h.basePath}/leader`), winner);
      } finally {
        await h.cleanup();
      }
    }
  });

  void it('the snapshot binds the leader to its member key and carries the lease', async () => {
    const h = await make(uniqueScope('bind'));
    try {
      const a = await h.client('node1', FAST);
      assert.equal(await a.attemptToAcquireLeader(), true);
      assert.equal(
        await a.touchMember({
          connUrl: 'postgres://127.0.0.1:5432/postgres',
          apiUrl: 'http://127.0.0.1:8008/patroni',
          state: 'running',
          role: 'primary',
          version: '3.0.2',
        }),
        true,
      );
      const c = await a.getCluster();
      assert.equal(c.leader?.name, 'node1');
      assert.equal(c.leader.member.connUrl, 'postgres://127.0.0.1:5432/postgres');
      assert.notEqual(c.leader.session, null);
      if (h.sessionIsTtl === true) {
        const gap = Math.abs(Number(c.leader.session) - Number(c.members[0]?.session));
        assert.ok(gap <= 1, `leader and member keys carry the ttl: ${c.leader.session}`);
      } else {
        assert.equal(c.leader.session, c.members[0]?.session, 'leader and member ride one lease');
      }
      assert.ok(c.leader.index > 0);
    } finally {
      await h.cleanup();
    }
  });

  void it('the holder refreshes; another node cannot refresh, take or delete it', async () => {
    const h = await make(uniqueScope('own'));
    try {
      const [a, b] = [await h.client('node1', FAST), await h.client('node2', FAST)];
      assert.equal(await a.attemptToAcquireLeader(), true);
      assert.equal(await b.attemptToAcquireLeader(), false, 'acquire is create-only');
      assert.equal(
        await a.attemptToAcquireLeader(),
        true,
        'my name on my lease: an earlier attempt of mine landed, the lock is mine',
      );
      assert.equal(await b.updateLeader(null), false);
      assert.equal(await b.deleteLeader(), false);
      assert.equal(await h.rawGet(`${h.basePath}/leader`), 'node1');
      assert.equal(await a.updateLeader(12345), true);
      assert.equal((await b.getCluster()).lastLsn, 12345, 'updateLeader wrote status');
    } finally {
      await h.cleanup();
    }
  });

  void it('a holder that stops refreshing loses the lock after ttl, and the key is gone', async () => {
    const h = await make(uniqueScope('ttl'));
    try {
      const [a, b] = [await h.client('node1', FAST), await h.client('node2', FAST)];
      assert.equal(await a.attemptToAcquireLeader(), true);
      await a.touchMember({
        connUrl: 'postgres://h:1/postgres',
        apiUrl: 'http://h:2/patroni',
        state: 'running',
        role: 'primary',
        version: '3.0.2',
      });
      const resume = await h.hang?.(a);
      await h.advance(1000);
      assert.equal(await h.rawGet(`${h.basePath}/leader`), 'node1', 'still held within ttl');
      const gone = await eventually(
        h,
        async () => (await h.rawGet(`${h.basePath}/leader`)) === null,
        6000,
      );
      assert.ok(gone, 'leader key expired');
      assert.equal(
        await h.rawGet(`${h.basePath}/members/node1`),
        null,
        'member key rode the lease',
      );
      assert.equal((await b.getCluster()).leader, null);
      await resume?.();
    } finally {
      await h.cleanup();
    }
  });

  void it('a refresh after another node took the lock is refused and does not overwrite', async () => {
    const h = await make(uniqueScope('steal'));
    try {
      const [a, b] = [await h.client('node1', FAST), await h.client('node2', FAST)];
      assert.equal(await a.attemptToAcquireLeader(), true);
      const resume = await h.hang?.(a);
      const expired = await eventually(
        h,
        async () => (await h.rawGet(`${h.basePath}/leader`)) === null,
        6000,
      );
      assert.ok(expired);
      await resume?.();
      assert.equal(await b.attemptToAcquireLeader(), true);
      assert.equal(await a.updateLeader(1), false, 'old holder is told it lost the lock');
      assert.equal(await a.takeLeader(), true, 'takeLeader is unconditional (bootstrap only)');
      assert.equal(await a.deleteLeader(), true);
      assert.equal(await b.attemptToAcquireLeader(), true);
      assert.equal(await a.updateLeader(null), false);
      assert.equal(await h.rawGet(`${h.basePath}/leader`), 'node2');
    } finally {
      await h.cleanup();
    }
  });

  void it('a refresh re-creates the lock if it vanished while nobody else took it', async () => {
    const h = await make(uniqueScope('recreate'));
    try {
      const a = await h.client('node1', FAST);
      assert.equal(await a.attemptToAcquireLeader(), true);
      assert.equal(await a.deleteLeader(5), true);
      assert.equal(await h.rawGet(`${h.basePath}/leader`), null);
      assert.equal(
        await h.rawGet(`${h.basePath}/status`),
        '{"optime":5}',
        'status written before release',
      );
      assert.equal(await a.updateLeader(null), true);
      assert.equal(await h.rawGet(`${h.basePath}/leader`), 'node1');
    } finally {
      await h.cleanup();
    }
  });
  void it('the keeper renews only a lock that is still mine, and never brings it back', async () => {
    const h = await make(uniqueScope('renew'));
    try {
      const [a, b] = [await h.client('node1', FAST), await h.client('node2', FAST)];
      assert.equal(await a.renewLeaderLease(), false, 'no lock yet: nothing to renew');
      assert.equal(await a.attemptToAcquireLeader(), true);
      assert.equal(await b.renewLeaderLease(), false, 'not the holder');
      // Renewals alone keep it past its ttl.
      for (let i = 0; i < 4; i++) {
        assert.equal(await a.renewLeaderLease(), true, `renewal ${i}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
      assert.equal(await h.rawGet(`${h.basePath}/leader`), 'node1', 'kept alive past ttl 3 s');
      assert.equal(await a.deleteLeader(), true);
      assert.equal(await a.renewLeaderLease(), false, 'released: a renewal must not re-create');
      assert.equal(await h.rawGet(`${h.basePath}/leader`), null);
      assert.equal(await b.attemptToAcquireLeader(), true);
      assert.equal(await a.renewLeaderLease(), false, 'another holder now');
      assert.equal(await h.rawGet(`${h.basePath}/leader`), 'node2');
    } finally {
      await h.cleanup();
    }
  });
}
