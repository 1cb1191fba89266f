import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Samples, spread } from './samples.js';

describe('spread', () => {
  it('gives min, median and max; the median of an even count is the mean of the middle two', () => {
    assert.deepEqual(spread([3, 1, 2]), { min: 1, median: 2, max: 3 });
    assert.deepEqual(spread([4, 1, 3, 2]), { min: 1, median: 2.5, max: 4 });
  });

  it('is null without values', () => {
    assert.equal(spread([]), null);
  });
});

describe('Samples', () => {
  it('keeps values and failures per figure', () => {
    const s = new Samples();
    s.add('a', 1);
    s.add('a', 2);
    s.fail('b', 'timed out');
    assert.deepEqual(s.get('a'), [1, 2]);
    assert.deepEqual(s.get('b'), []);
    assert.deepEqual(s.failuresOf('b'), ['timed out']);
  });

  it('comes back whole from what toJSON wrote', () => {
    const s = new Samples();
    s.add('a', 1.5);
    s.fail('b', 'timed out');
    const back = Samples.fromJSON(
      JSON.parse(JSON.stringify(s)) as Parameters<typeof Samples.fromJSON>[0],
    );
    assert.deepEqual(back.toJSON(), s.toJSON());
  });
});
