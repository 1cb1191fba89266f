import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { keeperBoundHolds } from './lease-timing.js';
import { adjustTimeouts } from './timeouts.js';

describe('adjustTimeouts', () => {
  it('always yields timings that keep the rule and the minimums', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -5, max: 500 }),
        fc.integer({ min: -5, max: 500 }),
        fc.integer({ min: -5, max: 500 }),
        (ttl, loopWait, retryTimeout) => {
          const t = adjustTimeouts({ ttl, loopWait, retryTimeout }, []);
          assert.ok(t.ttl >= 4 && t.loopWait >= 1 && t.retryTimeout >= 1, JSON.stringify(t));
          assert.ok(keeperBoundHolds(t), `the keeper's bound holds: ${JSON.stringify(t)}`);
          assert.ok(t.loopWait + 2 * t.retryTimeout <= t.ttl, JSON.stringify(t));
        },
      ),
    );
  });

  it('leaves valid timings alone and says nothing', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        (loopWait, retryTimeout, slack) => {
          const ttl = Math.max(4, loopWait + 2 * retryTimeout + slack);
          const warnings: string[] = [];
          assert.deepEqual(adjustTimeouts({ ttl, loopWait, retryTimeout }, warnings), {
            ttl,
            loopWait,
            retryTimeout,
          });
          assert.deepEqual(warnings, []);
        },
      ),
    );
  });

  it('takes the fast profile as it is: ttl 6, loop_wait 1, retry_timeout 2', () => {
    const warnings: string[] = [];
    const fast = { ttl: 6, loopWait: 1, retryTimeout: 2 };
    assert.deepEqual(adjustTimeouts(fast, warnings), fast);
    assert.deepEqual(warnings, []);
  });

  it("raises a ttl below the floor with Patroni's sentence", () => {
    const warnings: string[] = [];
    assert.equal(adjustTimeouts({ ttl: 3, loopWait: 1, retryTimeout: 1 }, warnings).ttl, 4);
    assert.deepEqual(warnings, ["ttl=3 can't be smaller than 4, adjusting..."]);
  });
});
