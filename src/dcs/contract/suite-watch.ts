import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { HarnessFactory } from './harness.js';
import { FAST, uniqueScope } from './suite-lock.js';

async function settle(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

/** The loop's wake-up (spec/core.md §4.1): leader key changes, local wake-ups, timeouts. */
export function watchContract(make: HarnessFactory): void {
  void it('a watcher wakes within 200 ms of the leader key being deleted', async () => {
    const h = await make(uniqueScope('watch'));
    try {
      const [a, b] = [await h.client('node1', FAST), await h.client('node2', { ...FAST, ttl: 30 })];
      assert.equal(await a.attemptToAcquireLeader(), true);
      const index = (await b.getCluster()).leader?.index ?? null;
      assert.notEqual(index, null);
      const woke = b.watch(index, 20_000);
      await h.advance(300); // let the watch be established
      const t0 = performance.now();
      assert.equal(await a.deleteLeader(), true);
      assert.equal(await woke, true);
      const elapsed = performance.now() - t0;
      assert.ok(elapsed < 200, `woke after ${elapsed.toFixed(0)} ms`);
    } finally {
      await h.cleanup();
    }
  });

  void it('a change made between the read and the watch still wakes it', async () => {
    const h = await make(uniqueScope('watch-gap'));
    try {
      const [a, b] = [await h.client('node1', FAST), await h.client('node2', FAST)];
      assert.equal(await a.attemptToAcquireLeader(), true);
      const index = (await b.getCluster()).leader?.index ?? null;
      assert.equal(await a.deleteLeader(), true);
      assert.equal(await b.watch(index, 5000), true);
    } finally {
      await h.cleanup();
    }
  });

  void it("the holder's refresh does not wake a watcher; the timeout gives false", async () => {
    const h = await make(uniqueScope('watch-refresh'));
    try {
      const [a, b] = [await h.client('node1', FAST), await h.client('node2', FAST)];
      assert.equal(await a.attemptToAcquireLeader(), true);
      const index = (await b.getCluster()).leader?.index ?? null;
      const woke = b.watch(index, 1500);
      await h.advance(300);
      assert.equal(await a.updateLeader(null), true);
      await h.advance(1500);
      assert.equal(await woke, false);
    } finally {
      await h.cleanup();
    }
  });

  void it('wakeup() ends a watch early, and one that comes first ends the next watch at once', async () => {
    const h = await make(uniqueScope('wakeup'));
    try {
      const a = await h.client('node1', FAST);
      const waiting = a.watch(null, 60_000);
      await settle();
      a.wakeup();
      assert.equal(await waiting, true);
      a.wakeup();
      assert.equal(await a.watch(null, 60_000), true);
      const timed = a.watch(null, 500);
      await h.advance(600);
      assert.equal(await timed, false);
    } finally {
      await h.cleanup();
    }
  });

  void it("a replica wakes when the leader's status or the config changes, not on rewrites", async () => {
    const h = await make(uniqueScope('watch-status'));
    try {
      const [a, b] = [await h.client('node1', FAST), await h.client('node2', FAST)];
      assert.equal(await a.attemptToAcquireLeader(), true);
      assert.equal(await a.updateLeader(100), true);
      assert.equal(await a.setConfigValue({ ttl: 3 }), true);
      const index = (await b.getCluster()).leader?.index ?? null;
      const same = b.watch(index, 1500);
      await h.advance(300);
      assert.equal(await a.updateLeader(100), true, 'same optime: status rewritten unchanged');
      await h.advance(1500);
      assert.equal(await same, false);
      await b.getCluster();
      const moved = b.watch(index, 20_000);
      await h.advance(300);
      assert.equal(await a.updateLeader(200), true);
      assert.equal(await moved, true, 'new optime wakes the replica');
      await b.getCluster();
      const config = b.watch(index, 20_000);
      await h.advance(300);
      assert.equal(await a.setConfigValue({ ttl: 4 }), true);
      assert.equal(await config, true, 'config change wakes');
    } finally {
      await h.cleanup();
    }
  });

  void it('the leader is not woken by its own status', async () => {
    const h = await make(uniqueScope('watch-self'));
    try {
      const a = await h.client('node1', FAST);
      assert.equal(await a.attemptToAcquireLeader(), true);
      await a.getCluster();
      const waiting = a.watch(null, 1500);
      await h.advance(300);
      assert.equal(await a.updateLeader(300), true);
      await h.advance(1500);
      assert.equal(await waiting, false);
    } finally {
      await h.cleanup();
    }
  });

  void it('a node is not woken by its own writes', async () => {
    const h = await make(uniqueScope('watch-own'));
    try {
      const a = await h.client('node1', FAST);
      await a.getCluster();
      assert.equal(await a.attemptToAcquireLeader(), true);
      assert.equal(await a.setConfigValue({ ttl: 3 }), true);
      assert.equal(await a.setConfigValue({ ttl: 4 }), true);
      const waiting = a.watch(null, 1500);
      await h.advance(1600);
      assert.equal(await waiting, false);
    } finally {
      await h.cleanup();
    }
  });
}
