import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AsyncSlot } from './async-slot.js';
import { MemoryLogger } from '../shared/log/logger.js';

describe('AsyncSlot', () => {
  it('runs one action at a time and refuses a second with Patroni’s sentence', async () => {
    let wakeups = 0;
    const slot = new AsyncSlot(
      new MemoryLogger(),
      () => 5,
      () => (wakeups += 1),
    );
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    assert.equal(
      slot.tryRun('promote', () => gate),
      null,
    );
    assert.deepEqual(slot.current(), { action: 'promote', startedAt: 5, cancellable: false });
    assert.equal(
      slot.tryRun('restart', () => Promise.resolve()),
      'Failed to run restart, promote is already in progress',
    );
    release();
    await slot.idle(1);
    assert.equal(slot.current(), null);
    assert.equal(wakeups, 1);
    assert.deepEqual(slot.takeFinished(), { action: 'promote', ok: true, result: undefined });
    assert.equal(slot.takeFinished(), null);
  });

  it('records a failure without throwing and logs it', async () => {
    const log = new MemoryLogger();
    const slot = new AsyncSlot(
      log,
      () => 0,
      () => undefined,
    );
    slot.tryRun('bootstrap', () => Promise.reject(new Error('initdb failed')));
    await slot.idle(1);
    assert.deepEqual(slot.takeFinished(), {
      action: 'bootstrap',
      ok: false,
      error: 'initdb failed',
    });
    assert.equal(log.lines[0]?.message, 'bootstrap failed: initdb failed');
  });

  it('passes an abort signal that cancel() fires', async () => {
    const slot = new AsyncSlot(
      new MemoryLogger(),
      () => 0,
      () => undefined,
    );
    let aborted = false;
    slot.tryRun(
      'clone',
      (signal) =>
        new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve();
          });
        }),
    );
    slot.cancel();
    await slot.idle(1);
    assert.equal(aborted, true);
  });
});

describe('AsyncSlot.tryStart', () => {
  it('gives the caller its own outcome even when the loop takes the finished record first', async () => {
    const slot = new AsyncSlot(
      new MemoryLogger(),
      () => 0,
      () => undefined,
    );
    const started = slot.tryStart('restart', () => Promise.resolve(true));
    assert.notEqual(typeof started, 'string');
    await slot.idle(1);
    assert.equal(slot.takeFinished()?.action, 'restart'); // the HA loop's copy
    const outcome = await (started as Promise<{ ok: boolean; result?: boolean }>);
    assert.deepEqual(outcome, { action: 'restart', ok: true, result: true });
  });
});
