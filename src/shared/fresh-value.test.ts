import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from './clock.js';
import { FreshValue } from './fresh-value.js';

/** A source whose reads finish only when the test says so, counting them. */
function gatedSource(): {
  read: () => Promise<number>;
  finish: (value: number) => void;
  fail: (err: Error) => void;
  reads: () => number;
} {
  let count = 0;
  let pending: { resolve: (v: number) => void; reject: (e: Error) => void } | null = null;
  return {
    read: () => {
      count++;
      return new Promise<number>((resolve, reject) => {
        pending = { resolve, reject };
      });
    },
    finish: (value) => {
      pending?.resolve(value);
    },
    fail: (err) => {
      pending?.reject(err);
    },
    reads: () => count,
  };
}

describe('FreshValue', () => {
  it('serves 50 concurrent callers from one read', async () => {
    const clock = new ManualClock();
    const src = gatedSource();
    const fresh = new FreshValue(src.read, 1000, () => clock.now());
    const callers = Array.from({ length: 50 }, () => fresh.get());
    assert.equal(src.reads(), 1);
    src.finish(7);
    assert.deepEqual(await Promise.all(callers), Array(50).fill(7));
    assert.equal(src.reads(), 1);
  });

  it('reuses a value younger than max age, then reads again', async () => {
    const clock = new ManualClock();
    let n = 0;
    const fresh = new FreshValue(
      () => Promise.resolve(++n),
      1000,
      () => clock.now(),
    );
    assert.equal(await fresh.get(), 1);
    clock.advance(999);
    assert.equal(await fresh.get(), 1);
    clock.advance(1);
    assert.equal(await fresh.get(), 2);
  });

  it('counts the age from when the read started, so a slow read is not kept longer', async () => {
    const clock = new ManualClock();
    const src = gatedSource();
    const fresh = new FreshValue(src.read, 1000, () => clock.now());
    const first = fresh.get();
    clock.advance(800);
    src.finish(1);
    assert.equal(await first, 1);
    clock.advance(200);
    const second = fresh.get();
    assert.equal(src.reads(), 2);
    src.finish(2);
    assert.equal(await second, 2);
  });

  it('rejects every waiting caller on a failed read and keeps nothing', async () => {
    const clock = new ManualClock();
    const src = gatedSource();
    const fresh = new FreshValue(src.read, 1000, () => clock.now());
    const a = fresh.get();
    const b = fresh.get();
    src.fail(new Error('no connection'));
    await assert.rejects(a, /no connection/);
    await assert.rejects(b, /no connection/);
    const c = fresh.get();
    assert.equal(src.reads(), 2);
    src.finish(3);
    assert.equal(await c, 3);
  });

  it('invalidate drops the kept value', async () => {
    const clock = new ManualClock();
    let n = 0;
    const fresh = new FreshValue(
      () => Promise.resolve(++n),
      1000,
      () => clock.now(),
    );
    await fresh.get();
    fresh.invalidate();
    assert.equal(await fresh.get(), 2);
  });
});
