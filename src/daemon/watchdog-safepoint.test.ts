/**
 * Where the shell disarms the watchdog itself (Patroni's `on_safepoint`): only once PostgreSQL
 * has stopped accepting writes, in a demotion and on shutdown; never when the stop failed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Action } from '../core/ha/decision.js';
import { initialMemory } from '../core/ha/memory.js';
import type { Dcs } from '../dcs/index.js';
import type { Postgresql } from '../postgres/postgresql.js';
import { MemoryLogger } from '../shared/log/logger.js';
import type { AsyncSlot } from './async-slot.js';
import { runDemotion } from './demote.js';
import type { NodeRuntime } from './runtime.js';
import { shutdown } from './shutdown.js';
import type { WatchdogPort } from './watchdog-port.js';

type Demote = Extract<Action, { type: 'demote' }>;

function world(stopOk = true) {
  const events: string[] = [];
  const pg = {
    ctx: { paths: { dataDir: '/nonexistent/data' } },
    checkpoint: () => Promise.resolve(),
    stop: () => {
      events.push('stop');
      return stopOk ? Promise.resolve(true) : Promise.reject(new Error('stop failed'));
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
  const watchdog: WatchdogPort = {
    view: () => ({ running: true, healthy: true, inert: false }),
    activate: () => true,
    keepalive: () => undefined,
    disable: () => {
      events.push('disarm watchdog');
    },
    running: true,
  };
  return { events, pg, dcs, watchdog, logger: new MemoryLogger() };
}

const demotion = (mode: Demote['mode'], task: string | null): Demote => ({
  type: 'demote',
  mode,
  task,
  followAfter: null,
  releaseCandidates: [],
});

describe('watchdog safe point', () => {
  it('an immediate demotion disarms after the stop, before releasing the key', async () => {
    const w = world();
    await runDemotion(w, demotion('immediate', null), (_task, work) => {
      void work(new AbortController().signal);
    });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(w.events, ['stop', 'disarm watchdog', 'release key', 'start as replica']);
  });

  it('a graceful demotion in the async slot does the same', async () => {
    const w = world();
    let done: Promise<boolean> = Promise.resolve(false);
    await runDemotion(w, demotion('graceful', 'manual failover: demote'), (_task, work) => {
      done = work(new AbortController().signal);
    });
    assert.equal(await done, true);
    assert.deepEqual(w.events, ['stop', 'disarm watchdog', 'release key', 'start as replica']);
  });

  it('a stop that failed leaves the watchdog armed', async () => {
    const w = world(false);
    await assert.rejects(
      runDemotion(w, demotion('immediate-nolock', null), () => undefined),
      /stop failed/,
    );
    assert.deepEqual(w.events, ['stop']);
  });

  function shutdownDeps(w: ReturnType<typeof world>, paused: boolean) {
    const runtime = {
      cluster: { config: { data: { pause: paused }, index: 1 } },
      memory: { ...initialMemory('primary'), leaderUntil: 10_000 },
    } as unknown as NodeRuntime;
    const slot = { cancel: () => undefined, idle: () => Promise.resolve() } as unknown as AsyncSlot;
    const clock = {
      now: () => 0,
      wallNow: () => 0,
      sleep: () => Promise.resolve(),
    };
    return { ...w, runtime, slot, clock };
  }

  it('shutdown disarms once PostgreSQL is stopped, then releases the key', async () => {
    const w = world();
    await shutdown(shutdownDeps(w, false));
    assert.deepEqual(w.events, ['stop', 'disarm watchdog', 'release key']);
  });

  it('shutdown when paused disarms and leaves PostgreSQL and the key alone', async () => {
    const w = world();
    await shutdown(shutdownDeps(w, true));
    assert.deepEqual(w.events, ['disarm watchdog']);
  });

  it('a failed shutdown leaves the watchdog running and says so', async () => {
    const w = world(false);
    await shutdown(shutdownDeps(w, false));
    assert.deepEqual(w.events, ['stop']);
    assert.ok(
      w.logger.lines.some(
        (l) =>
          l.message ===
          'PostgreSQL shutdown failed, leader key not removed. Leaving watchdog running.',
      ),
    );
  });
});
