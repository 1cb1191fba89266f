import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { checkTimelines, lsnValue, parseHistoryFile } from './timelines.js';

describe('timelines', () => {
  it('parses a history file', () => {
    const text =
      '1\t0/3000148\tno recovery target specified\n\n2\t0/5000060\tno recovery target specified\n';
    assert.deepEqual(parseHistoryFile(text), [
      { tli: 1, switchpoint: '0/3000148' },
      { tli: 2, switchpoint: '0/5000060' },
    ]);
  });

  it('orders LSNs by both halves', () => {
    assert.ok(lsnValue('1/0') > lsnValue('0/FFFFFFFF'));
    assert.ok(lsnValue('0/5000060') > lsnValue('0/3000148'));
  });

  it('accepts nodes on one history, one of them a timeline behind within it', () => {
    const v = checkTimelines([
      {
        node: 'n1',
        timeline: 3,
        history: [
          { tli: 1, switchpoint: '0/300' },
          { tli: 2, switchpoint: '0/500' },
        ],
      },
      {
        node: 'n2',
        timeline: 3,
        history: [
          { tli: 1, switchpoint: '0/300' },
          { tli: 2, switchpoint: '0/500' },
        ],
      },
      { node: 'n3', timeline: 2, history: [{ tli: 1, switchpoint: '0/300' }], lsn: '0/480' },
    ]);
    assert.deepEqual(v.problems, []);
    assert.equal(v.single, true);
  });

  it('rejects two nodes that each ended a timeline at a different point (two promotions)', () => {
    const v = checkTimelines([
      { node: 'n1', timeline: 2, history: [{ tli: 1, switchpoint: '0/300' }] },
      { node: 'n2', timeline: 2, history: [{ tli: 1, switchpoint: '0/340' }] },
    ]);
    assert.equal(v.single, false);
    assert.match(v.problems[0] ?? '', /timeline 1 ended at 0\/340/);
  });

  it('rejects a node that wrote past the end of its timeline (not rewound)', () => {
    const v = checkTimelines([
      { node: 'n1', timeline: 2, history: [{ tli: 1, switchpoint: '0/300' }] },
      { node: 'n2', timeline: 1, history: [], lsn: '0/400' },
    ]);
    assert.equal(v.single, false);
    assert.match(v.problems[0] ?? '', /diverged/);
  });
});
