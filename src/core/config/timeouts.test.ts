import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
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
          assert.ok(t.ttl >= 20 && t.loopWait >= 1 && t.retryTimeout >= 3, JSON.stringify(t));
          assert.ok(t.loopWait + 2 * t.retryTimeout <= t.ttl, JSON.stringify(t));
        },
      ),
    );
  });

  it('leaves valid timings alone and says nothing', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 3, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        (loopWait, retryTimeout, slack) => {
          const ttl = Math.max(20, loopWait + 2 * retryTimeout + slack);
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
});
