import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { seededRandom } from './prng.js';
import { makeSchedule, parseRange, renderSchedule } from './schedule.js';

const opts = {
  seed: 42,
  faults: 7,
  nemeses: ['a', 'b', 'c'],
  holdMs: [1000, 5000] as const,
  settleMs: [500, 500] as const,
};

describe('schedule', () => {
  it('is the same for the same seed and differs for another', () => {
    assert.deepEqual(makeSchedule(opts), makeSchedule(opts));
    assert.notDeepEqual(makeSchedule(opts).steps, makeSchedule({ ...opts, seed: 43 }).steps);
  });

  it('uses every nemesis once per round, holds within range', () => {
    const s = makeSchedule(opts);
    assert.equal(s.steps.length, 7);
    assert.deepEqual(
      s.steps
        .slice(0, 3)
        .map((x) => x.nemesis)
        .sort(),
      ['a', 'b', 'c'],
    );
    assert.deepEqual(
      s.steps
        .slice(3, 6)
        .map((x) => x.nemesis)
        .sort(),
      ['a', 'b', 'c'],
    );
    for (const st of s.steps) assert.ok(st.holdMs >= 1000 && st.holdMs <= 5000);
  });

  it('prints its seed for a replay', () => {
    assert.match(renderSchedule(makeSchedule(opts)), /--seed 42/);
  });

  it('has a PRNG with a fixed sequence in [0, 1)', () => {
    const a = seededRandom(1);
    const b = seededRandom(1);
    const xs = [a(), a(), a()];
    assert.deepEqual(xs, [b(), b(), b()]);
    assert.equal(new Set(xs).size, 3);
    for (const x of xs) assert.ok(x >= 0 && x < 1);
  });

  it('reads ranges and says which option is wrong', () => {
    assert.deepEqual(parseRange('100-200', '--hold'), [100, 200]);
    assert.deepEqual(parseRange('300', '--hold'), [300, 300]);
    assert.throws(() => parseRange('2-1', '--hold'), /--hold/);
    assert.throws(() => parseRange('x', '--settle'), /--settle/);
  });
});
