import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { History } from '../history.js';
import { LeaderWatch } from './leader-watch.js';
import { sleep } from './pg.js';

describe('LeaderWatch', () => {
  it('records each change of the holder once, and nothing while the DCS does not answer', async () => {
    const answers: (string | null | Error)[] = [
      'n1',
      'n1',
      new Error('no quorum'),
      'n1',
      null,
      'n2',
    ];
    let i = 0;
    const h = new History();
    const w = new LeaderWatch(
      {
        leader: () => {
          const a = answers[Math.min(i++, answers.length - 1)];
          return a instanceof Error ? Promise.reject(a) : Promise.resolve(a ?? null);
        },
      },
      h,
      1,
    );
    w.start();
    while (i < answers.length + 2) await sleep(2);
    await w.stop();
    assert.deepEqual(
      h.events.map((e) => (e.kind === 'leader' ? e.member : e.kind)),
      ['n1', null, 'n2'],
    );
  });
});
