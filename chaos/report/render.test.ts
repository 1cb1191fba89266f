import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { NemesisSummary } from '../check/summary.js';
import { renderModeTable, renderReport } from './render.js';
import type { ColumnResult } from './types.js';

function summary(nemesis: string, lostRows: number): NemesisSummary {
  return {
    nemesis,
    faults: 2,
    lostRows,
    splitBrainMs: 0,
    writeGapMs: { p50: 1500, p99: 9000, max: 9000 },
    recoveryMs: nemesis === 'b' ? null : { p50: 4000, max: 6000 },
    falseFailovers: 0,
    neededHuman: 0,
  };
}

function column(system: ColumnResult['system'], order: string[]): ColumnResult {
  return {
    system,
    mode: 'sync',
    seed: 9,
    topology: 'netns',
    startedAt: '',
    durationMs: 600_000,
    faultsPlanned: 4,
    skipped: [],
    abandoned: null,
    finalLeader: 'n1',
    rowsFrom: 'n1',
    writes: { acked: 10, uncertain: 0, lost: 0, lostSample: [], phantom: 0 },
    splitBrain: { totalMs: 0, incidents: 0 },
    timelines: { single: true, timelines: {}, problems: [] },
    outcomes: [],
    summary: order.map((n) => summary(n, system === 'patroni' ? 3 : 0)),
  };
}

describe('report', () => {
  const cols = [column('patroni-ts', ['a', 'b', 'all']), column('patroni', ['b', 'a', 'all'])];

  it('puts the systems side by side under each nemesis, all last', () => {
    const rows = renderModeTable('sync', cols)
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| nemesis'))
      .map((l) =>
        l
          .split('|')
          .slice(1, 3)
          .map((c) => c.trim())
          .join(' '),
      );
    assert.deepEqual(rows, [
      'a patroni-ts',
      'a Patroni 3.0.2',
      'b patroni-ts',
      'b Patroni 3.0.2',
      '**all** patroni-ts',
      '**all** Patroni 3.0.2',
    ]);
  });

  it('writes seconds with one decimal and a dash where nothing recovered', () => {
    const table = renderModeTable('sync', cols);
    assert.match(
      table,
      /\| a \| Patroni 3\.0\.2 \| 2 \| 3 \| 0 \| 1\.5 \/ 9\.0 \/ 9\.0 \| 4\.0 \/ 6\.0 \| 0 \| 0 \|/,
    );
    assert.match(table, /\| b \| patroni-ts \| 2 \| 0 \| 0 \| 1\.5 \/ 9\.0 \/ 9\.0 \| – \|/);
  });

  it('names the seed, leaves out a mode that did not run, lists failed columns', () => {
    const text = renderReport(cols, 'schedule seed 9', ['patroni/async: boom']);
    assert.match(text, /seed 9/);
    assert.doesNotMatch(text, /### asynchronous/);
    assert.match(text, /- patroni\/async: boom/);
  });

  it('says which faults could not be injected, why, and what ran instead', () => {
    const skipping: ColumnResult = {
      ...column('patroni-ts', ['a', 'all']),
      skipped: [
        {
          index: 70,
          nemesis: 'switchover',
          reason: 'no candidate',
          replacedBy: 'kill-leader-node',
        },
        { index: 71, nemesis: 'b', reason: 'boom', replacedBy: null },
      ],
    };
    const text = renderReport([skipping], 'schedule seed 9');
    assert.match(
      text,
      /- patroni-ts, sync, #71 switchover: no candidate; kill-leader-node ran instead/,
    );
    assert.match(text, /- patroni-ts, sync, #72 b: boom; nothing could run instead/);
    assert.doesNotMatch(renderReport(cols, 'schedule seed 9'), /not injected/);
  });
});
