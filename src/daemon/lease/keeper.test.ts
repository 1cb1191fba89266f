import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fenceMarginMs, renewIntervalMs } from '../../core/config/lease-timing.js';
import { MemoryStore } from '../../dcs/memory/index.js';
import { ManualClock } from '../../shared/clock.js';
import { silentLogger } from '../../shared/log/logger.js';
import { LeaseKeeper, type FencePolicy } from './keeper.js';

const TIMING = { ttl: 6, loopWait: 1, retryTimeout: 2 } as const;
const INTERVAL = renewIntervalMs(TIMING);
const MARGIN = fenceMarginMs(TIMING);

/** Lets every settled promise run its callbacks (the keeper's loops are promise chains). */
async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

/** Moves the clock in steps of `step` ms (an event loop that runs timers that late). */
async function run(clock: ManualClock, ms: number, step = 50): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    clock.advance(Math.min(step, ms - t));
    await flush();
  }
}

interface Renewal {
  readonly sentAt: number;
  readonly answer: (mine: boolean) => void;
  readonly fail: () => void;
}

function rig(policy: FencePolicy = 'gate') {
  const clock = new ManualClock();
  const renewals: Renewal[] = [];
  /** How the fake store answers: at once, never, or after a delay; `mine`: still the holder. */
  const store = { delayMs: 0 as number | null, mine: true };
  let gateClosedAt: number | null = null;
  let gateOpenedAt: number | null = null;
  let wakes = 0;
  const keeper = new LeaseKeeper({
    clock,
    logger: silentLogger,
    timing: () => TIMING,
    policy: () => policy,
    renew: () =>
      new Promise<boolean>((resolve, reject) => {
        const r: Renewal = {
          sentAt: clock.now(),
          answer: resolve,
          fail: () => {
            reject(new Error('unreachable'));
          },
        };
        renewals.push(r);
        if (store.delayMs === null) return;
        void clock.sleep(store.delayMs).then(() => {
          r.answer(store.mine);
        });
      }),
    closeGate: () => {
      gateClosedAt = clock.now();
      return Promise.resolve();
    },
    openGate: () => {
      gateOpenedAt = clock.now();
      return Promise.resolve();
    },
    wakeLoop: () => {
      wakes += 1;
    },
  });
  return {
    clock,
    keeper,
    renewals,
    store,
    gateClosedAt: () => gateClosedAt,
    gateOpenedAt: () => gateOpenedAt,
    wakes: () => wakes,
  };
}

describe('LeaseKeeper', () => {
  it('renews on its own timer while the HA loop is stuck, and never fences a healthy store', async () => {
    const r = rig();
    r.keeper.confirmed(r.clock.now());
    // Nothing else calls the keeper for 60 s: the loop is stuck in a long action.
    await run(r.clock, 60_000);
    const expected = Math.floor(60_000 / INTERVAL);
    assert.ok(r.renewals.length >= expected - 1, `renewals: ${r.renewals.length} (${expected})`);
    assert.ok(r.renewals.length <= expected, `renewals: ${r.renewals.length}: one per interval`);
    assert.equal(r.gateClosedAt(), null);
    assert.equal(r.keeper.mustDemote, false);
    const remaining = r.keeper.view().remainingMs ?? 0;
    assert.ok(remaining > TIMING.ttl * 1000 - INTERVAL - 100, `remaining ${remaining}`);
  });

  for (const cycleMs of [1000, 1400, 1900]) {
    it(`sends nothing while the loop refreshes the lock every ${cycleMs} ms`, async () => {
      const r = rig();
      r.keeper.confirmed(r.clock.now());
      // The HA loop: a refresh stamped, sent, confirmed 100 ms later, once per cycle.
      for (let t = 0; t < 60_000; t += cycleMs) {
        await run(r.clock, cycleMs - 100);
        const sentAt = r.keeper.stamp();
        await run(r.clock, 100);
        r.keeper.confirmed(sentAt);
      }
      assert.equal(r.renewals.length, 0, 'the keeper stays silent behind a healthy loop');
      assert.equal(r.gateClosedAt(), null);
      // The loop stops (a long action): the keeper takes over within one interval.
      await run(r.clock, INTERVAL + 100);
      assert.equal(r.renewals.length, 1);
    });
  }

  it('renews in time when the loop keeps sending refreshes that never come back', async () => {
    const r = rig();
    const start = r.clock.now();
    r.keeper.confirmed(start);
    r.store.delayMs = 0;
    // The loop's refreshes are sent every second but none is confirmed (they hang): the keeper
    // must not wait one interval after the last of them, only after the last CONFIRMED one.
    for (let t = 0; t < 20_000; t += 1000) {
      r.keeper.stamp();
      await run(r.clock, 1000);
    }
    assert.equal(r.gateClosedAt(), null, 'the keeper renewed before the fence moment');
    assert.ok(r.renewals.length >= 5, `renewals: ${r.renewals.length}`);
  });

  it('counts the lease from when a renewal was sent, not from its late answer', async () => {
    const r = rig();
    r.store.delayMs = 1800; // each answer comes 1.8 s after its request (within retry_timeout)
    const start = r.clock.now();
    r.keeper.confirmed(start);
    await run(r.clock, 4500);
    const view = r.keeper.view();
    const lastAnswered = r.renewals.filter((x) => x.sentAt + 1800 <= r.clock.now()).at(-1);
    assert.ok(lastAnswered !== undefined);
    assert.equal(view.remainingMs, lastAnswered.sentAt + 6000 - r.clock.now());
  });

  for (const stall of [0, 100, 400, 900]) {
    it(`closes the gate before the lease's last valid moment (timers ${stall} ms late)`, async () => {
      const r = rig();
      const start = r.clock.now();
      r.keeper.confirmed(start);
      await run(r.clock, 2000);
      // The store goes silent: requests are sent, never answered.
      const lastOk = Math.max(start, ...r.renewals.map((x) => x.sentAt));
      r.store.delayMs = null;
      await run(r.clock, 10_000, Math.max(stall, 10));
      const closed = r.gateClosedAt();
      assert.ok(closed !== null, 'the gate closed');
      assert.ok(closed < lastOk + TIMING.ttl * 1000, `closed ${closed - lastOk} ms after renewal`);
      assert.ok(closed >= lastOk + TIMING.ttl * 1000 - MARGIN, 'not earlier than it must');
      assert.equal(r.keeper.mustDemote, true);
      assert.ok(r.wakes() >= 1, 'the loop is woken to demote');
      const sentAfter = r.renewals.length;
      await run(r.clock, 5000);
      assert.equal(r.renewals.length, sentAfter, 'a fenced keeper renews no more');
    });
  }

  it('a renewal confirmed after the gate closed, before the lease ran out, reopens it: no demotion', async () => {
    const r = rig();
    r.keeper.confirmed(r.clock.now());
    r.store.delayMs = null; // the store answers nothing for now
    await run(r.clock, 5000 + 100);
    assert.ok(r.gateClosedAt() !== null, 'the gate closed at the fence moment');
    assert.equal(r.keeper.mustDemote, false, 'no demotion while the lease may still be valid');
    assert.equal(r.keeper.view().gated, true);
    const sinceGate = r.renewals.filter((x) => x.sentAt >= (r.gateClosedAt() ?? 0));
    assert.ok(sinceGate.length >= 1, 'renewals go on behind the gate');
    sinceGate.at(-1)?.answer(true);
    await flush();
    assert.ok(r.gateOpenedAt() !== null, 'the confirmed renewal reopened the gate');
    assert.equal(r.keeper.view().gated, false);
    assert.equal(r.keeper.mustDemote, false);
    assert.equal(r.keeper.view().holding, true, 'still the leader');
    r.store.delayMs = 0;
    const closedBefore = r.gateClosedAt();
    await run(r.clock, 20_000);
    assert.equal(r.gateClosedAt(), closedBefore, 'no new gate on a healthy store');
    assert.equal(r.keeper.mustDemote, false);
  });

  it('a daemon stopped past the fence moment but not past the lease keeps its lock', async () => {
    const r = rig();
    r.keeper.confirmed(r.clock.now());
    await run(r.clock, 1000);
    // SIGSTOP for 4.6 s: every timer fires at once on SIGCONT; the store answers at once.
    await run(r.clock, 4600, 4600);
    await run(r.clock, 2000);
    assert.equal(r.keeper.mustDemote, false);
    // On SIGCONT the fence moment is already past when the renewal's answer arrives.
    assert.ok(r.gateClosedAt() !== null, 'the gate closed on SIGCONT');
    assert.ok(r.gateOpenedAt() !== null, 'and the confirmed renewal reopened it');
    assert.equal(r.keeper.view().gated, false);
    assert.ok((r.keeper.view().remainingMs ?? 0) > 3000);
  });

  it('a renewal sent before the gate and confirmed too late for a new fence moment does not reopen it', async () => {
    const r = rig();
    r.store.delayMs = null;
    r.keeper.confirmed(r.clock.now());
    await run(r.clock, 5100); // gated; the renewals sent so far are all older than 100 ms
    const early = r.renewals.filter((x) => x.sentAt <= 100);
    for (const x of early) x.answer(true);
    await flush();
    assert.equal(r.gateOpenedAt(), null, 'a renewal sent at 0-100 ms fences at 5-5.1 s: no lift');
    assert.equal(r.keeper.view().gated, true);
    await run(r.clock, 1000);
    assert.equal(r.keeper.mustDemote, true, 'the lease ran out: demote');
    assert.equal(r.gateOpenedAt(), null);
  });

  it('the loop releasing the lock behind a closed gate keeps the gate closed until the demotion', async () => {
    const r = rig();
    r.keeper.confirmed(r.clock.now());
    r.store.delayMs = null;
    await run(r.clock, 5100);
    assert.equal(r.keeper.view().gated, true);
    r.keeper.release();
    assert.equal(r.keeper.mustDemote, true);
    assert.equal(r.keeper.settle(true), false, 'still a primary: the fence holds');
    assert.equal(r.keeper.settle(false), true, 'demoted: the fence is lifted');
  });

  it('a late answer after the fence does not reopen anything', async () => {
    const r = rig();
    r.keeper.confirmed(r.clock.now());
    r.store.delayMs = null;
    await run(r.clock, 6000);
    assert.equal(r.keeper.mustDemote, true);
    for (const x of r.renewals) x.answer(true);
    await flush();
    assert.equal(r.keeper.mustDemote, true);
    assert.equal(r.keeper.view().holding, false);
    r.keeper.confirmed(r.clock.now());
    assert.equal(r.keeper.view().holding, false, 'no new lease before the demotion');
    assert.equal(r.keeper.settle(false), true, 'demoted: the fence is lifted');
    assert.equal(r.keeper.mustDemote, false);
  });

  it('a refusal (the key is not mine) fences at once', async () => {
    const r = rig();
    r.keeper.confirmed(r.clock.now());
    r.store.mine = false;
    await run(r.clock, INTERVAL + 100);
    assert.equal(r.keeper.mustDemote, true);
    assert.ok(r.gateClosedAt() !== null);
  });

  it('a refusal with nothing to fence (a demoted leader) stops the count', async () => {
    const r = rig('none');
    r.keeper.confirmed(r.clock.now());
    r.store.mine = false;
    await run(r.clock, INTERVAL + 100);
    assert.equal(r.gateClosedAt(), null);
    assert.equal(r.keeper.view().holding, false);
    assert.equal(r.keeper.view().remainingMs, null, 'no lease shown for a key that is not mine');
  });

  it('failed renewals are retried soon, and one success keeps the lease', async () => {
    const r = rig();
    r.keeper.confirmed(r.clock.now());
    r.store.delayMs = null;
    await run(r.clock, INTERVAL + 100);
    for (const x of r.renewals) x.fail();
    await run(r.clock, 400);
    assert.ok(r.renewals.length >= 2, 'retried before the next interval');
    r.store.delayMs = 0;
    await run(r.clock, 10_000);
    assert.equal(r.gateClosedAt(), null);
  });

  it('release stops renewals at once; an answer in flight neither extends nor fences', async () => {
    const r = rig();
    r.store.delayMs = null;
    r.keeper.confirmed(r.clock.now());
    await run(r.clock, INTERVAL + 100);
    const sent = r.renewals.length;
    assert.ok(sent >= 1);
    r.keeper.release();
    for (const x of r.renewals) x.answer(false);
    await run(r.clock, 20_000);
    assert.equal(r.renewals.length, sent);
    assert.equal(r.gateClosedAt(), null);
    assert.equal(r.keeper.mustDemote, false);
    assert.equal(r.keeper.view().remainingMs, null);
  });

  it('failsafe mode: an expiring lease wakes the loop but leaves the gate to failsafe', async () => {
    const r = rig('failsafe');
    r.keeper.confirmed(r.clock.now());
    r.store.delayMs = null;
    await run(r.clock, 8000);
    assert.equal(r.gateClosedAt(), null);
    assert.equal(r.keeper.mustDemote, false);
    assert.ok(r.wakes() >= 1);
    r.store.delayMs = 0;
    await run(r.clock, 3000);
    assert.ok((r.keeper.view().remainingMs ?? 0) > 3000, 'renewed again once the store answers');
  });
});

describe('LeaseKeeper and its guardian', () => {
  function guarded(policy: { value: FencePolicy }, others = true) {
    const clock = new ManualClock();
    const events: string[] = [];
    const store = { answer: true as boolean | null };
    const keeper = new LeaseKeeper({
      clock,
      logger: silentLogger,
      timing: () => TIMING,
      policy: () => policy.value,
      renew: () =>
        store.answer === null
          ? new Promise<boolean>(() => undefined)
          : Promise.resolve(store.answer),
      closeGate: () => Promise.resolve(),
      openGate: () => Promise.resolve(),
      wakeLoop: () => undefined,
      guardian: {
        arm: (ms) => events.push(`arm ${Math.round(ms)}`),
        disarm: () => events.push('disarm'),
      },
      othersCanTakeOver: () => others,
    });
    return { clock, keeper, events, store };
  }

  it('arms it half a margin before the lease ends, at every confirmed renewal; disarms on release', async () => {
    const g = guarded({ value: 'gate' });
    g.keeper.confirmed(g.clock.now());
    assert.deepEqual(g.events, [`arm ${TIMING.ttl * 1000 - MARGIN / 2}`]);
    await run(g.clock, INTERVAL + 100);
    assert.ok(g.events.length >= 2 && g.events.every((e) => e.startsWith('arm')), g.events.join());
    g.keeper.release();
    assert.equal(g.events.at(-1), 'disarm');
  });

  it('a fenced leader keeps it armed until PostgreSQL is no longer a primary', async () => {
    const g = guarded({ value: 'gate' });
    g.keeper.confirmed(g.clock.now());
    g.store.answer = null;
    await run(g.clock, 7000);
    assert.equal(g.keeper.mustDemote, true);
    assert.ok(!g.events.includes('disarm'), 'armed through the demotion');
    g.keeper.settle(false);
    assert.equal(g.events.at(-1), 'disarm');
  });

  it('no guardian when nothing is fenced (pause, failsafe) or nobody could take over', async () => {
    for (const [policy, others] of [
      ['none', true],
      ['failsafe', true],
      ['gate', false],
    ] as const) {
      const g = guarded({ value: policy }, others);
      g.keeper.confirmed(g.clock.now());
      await run(g.clock, INTERVAL + 100);
      assert.ok(
        g.events.length > 0 && g.events.every((e) => e === 'disarm'),
        `${policy}: ${g.events.join()}`,
      );
    }
  });
});

describe('LeaseKeeper on the memory DCS', () => {
  it('no other node takes the lock before the gate closed and the key expired', async () => {
    const clock = new ManualClock();
    const store = new MemoryStore(clock);
    const a = store.client({ scope: 's', name: 'a', ttl: 6, loopWait: 1, retryTimeout: 2 });
    const b = store.client({ scope: 's', name: 'b', ttl: 6, loopWait: 1, retryTimeout: 2 });
    const seen: { gateAt: number | null } = { gateAt: null };
    const keeper = new LeaseKeeper({
      clock,
      logger: silentLogger,
      timing: () => TIMING,
      policy: () => 'gate',
      renew: () => a.renewLeaderLease(),
      closeGate: () => {
        seen.gateAt = clock.now();
        return Promise.resolve();
      },
      openGate: () => Promise.resolve(),
      wakeLoop: () => undefined,
    });
    const sentAt = clock.now();
    assert.equal(await a.attemptToAcquireLeader(), true);
    keeper.confirmed(sentAt);
    let takenAt: number | null = null;
    // 30 s with the HA loop of `a` stuck: b tries every 100 ms and never wins.
    for (let t = 0; t < 30_000; t += 100) {
      assert.equal(await b.attemptToAcquireLeader(), false, `b took the lock at ${t} ms`);
      await run(clock, 100);
    }
    store.setReachable('a', false);
    for (let t = 0; t < 10_000 && takenAt === null; t += 100) {
      if (await b.attemptToAcquireLeader()) takenAt = clock.now();
      else await run(clock, 100);
    }
    const gateAt = seen.gateAt;
    assert.ok(gateAt !== null && takenAt !== null, `gate ${gateAt}, taken ${takenAt}`);
    assert.ok(gateAt < takenAt, 'the old leader stopped acknowledging before b could open');
    await a.close();
    await b.close();
  });
});
