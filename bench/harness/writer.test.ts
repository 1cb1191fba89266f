import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writer } from './writer.js';

describe('Writer.longestGap', () => {
  it('measures from the last commit before the event to the first after it', () => {
    const w = new Writer([], 't');
    w.commits.push(
      { id: 1, port: 1, at: 1000 },
      { id: 2, port: 1, at: 1020 },
      { id: 3, port: 2, at: 2520 },
      { id: 4, port: 2, at: 2540 },
    );
    assert.equal(w.longestGap(1010), 1.5);
  });

  it('counts the time since the event when nothing was committed before it', () => {
    const w = new Writer([], 't');
    w.commits.push({ id: 1, port: 1, at: 3000 });
    assert.equal(w.longestGap(1000), 2);
  });
});
