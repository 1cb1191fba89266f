import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { History } from '../history.js';
import { LeaderWatch } from './leader-watch.js';
import { sleep } from './pg.js';

describe('LeaderWatch', () => {
  it('records each change of the holder and of the sync standbys once, nothing while the DCS does not answer', async () => {
    const answers: (string | null | Error)[] = [
      'n1',
      'n1',
      new Error('no quorum'),
      'n1',
      null,
      'n2',
    ];
    const sync: string[][] = [['n2'], ['n2'], ['n2'], ['n2'], [], ['n3']];
    let i = 0;
    let j = 0;
    const h = new History();
    const w = new LeaderWatch(
      {
        leader: () => {
          const a = answers[Math.min(i++, answers.length - 1)];
          return a instanceof Error ? Promise.reject(a) : Promise.resolve(a ?? null);
        },
        syncStandbys: () => Promise.resolve(sync[Math.min(j++, sync.length - 1)] ?? []),
      },
      h,
      1,
    );
    w.start();
    while (i < answers.length + 2) await sleep(2);
    await w.stop();
    assert.deepEqual(
      h.events.filter((e) => e.kind === 'leader').map((e) => e.member),
      ['n1', null, 'n2'],
    );
    assert.deepEqual(
      h.events.flatMap((e) => (e.kind === 'sync' ? [e.standbys.join(',')] : [])),
      ['n2', '', 'n3'],
    );
  });
});
