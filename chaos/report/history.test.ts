import { strict as assert } from 'node:assert';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkSplitBrain } from '../check/split-brain.js';
import type { HistoryEvent } from '../types.js';
import { ACK_RANGE_MAX_PAUSE_MS, rawHistory, type RawHistory } from './history.js';
import { renderReport } from './render.js';
import type { ColumnResult } from './types.js';
import { resultsJson, writeReport } from './write.js';

/**
 * A synthetic column: two writers ack ids 1..200 every 10 ms (in pairs, the odd one second), then
 * a fault on the leader n1 stops the writes for 4 s (ids 201 and 202 fail), n2 takes the key and
 * the writes go on (ids 203..300); n1 and n2 both take probe writes for 300 ms.
 */
function synthetic(): HistoryEvent[] {
  const ev: HistoryEvent[] = [
    { at: 0, kind: 'leader', member: 'n1' },
    { at: 0, kind: 'sync', standbys: ['n2'] },
  ];
  let at = 1000;
  for (let id = 1; id <= 200; id += 2) {
    ev.push({ at: at + 1, kind: 'ack', id: id + 1, writer: 1 });
    ev.push({ at: at + 2, kind: 'ack', id, writer: 0 });
    at += 20;
  }
  ev.push({
    at: 3000,
    kind: 'fault',
    nemesis: 'kill-leader-daemon',
    description: 'SIGKILL daemon of n1',
    targets: ['n1'],
    hitsLeader: true,
    step: 4,
  });
  ev.push({ at: 3100, kind: 'write-error', id: 201, error: 'timeout' });
  ev.push({ at: 3200, kind: 'write-error', id: 202, error: 'connection refused' });
  ev.push({ at: 3300, kind: 'write-error', id: 204, error: 'timeout' });
  ev.push({ at: 5000, kind: 'leader', member: null });
  ev.push({ at: 6000, kind: 'leader', member: 'n2' });
  ev.push({ at: 6100, kind: 'sync', standbys: [] });
  ev.push({ at: 7500, kind: 'sync', standbys: ['n3'] });
  ev.push({ at: 6500, kind: 'heal', nemesis: 'kill-leader-daemon' });
  at = 7002;
  for (let id = 203; id <= 300; id++) {
    if (id !== 204) ev.push({ at, kind: 'ack', id, writer: id % 2 });
    at += 10;
  }
  ev.push({ at: 8000, kind: 'healthy' });
  ev.push({ at: 9500, kind: 'settled' });
  for (let t = 0; t < 10_000; t += 100) {
    ev.push({ at: t, kind: 'probe-write', node: 'n1', ok: t < 6300 });
    ev.push({ at: t + 1, kind: 'probe-write', node: 'n2', ok: t >= 6000 });
    ev.push({ at: t + 2, kind: 'probe-write', node: 'n3', ok: false });
  }
  return ev.sort((a, b) => a.at - b.at);
}

describe('raw history', () => {
  const events = synthetic();
  const raw = rawHistory(events, 10_000, [150], [9999]);

  it('keeps each fault with its targets, its step and its heal, healthy and settled times', () => {
    assert.deepEqual(raw.faults, [
      {
        step: 4,
        nemesis: 'kill-leader-daemon',
        description: 'SIGKILL daemon of n1',
        targets: ['n1'],
        hitsLeader: true,
        at: 3000,
        healAt: 6500,
        healthyAt: 8000,
        settledAt: 9500,
      },
    ]);
  });

  it('keeps every acknowledged id, in ranges that break at each pause longer than the bound', () => {
    assert.equal(raw.ackRangeMaxPauseMs, ACK_RANGE_MAX_PAUSE_MS);
    assert.deepEqual(raw.acks, [
      [1, 200, 1001, 2982],
      [203, 203, 7002, 7002],
      [205, 300, 7022, 7972],
    ]);
    const acked = new Set(raw.acks.flatMap(([a, b]) => range(a, b)));
    const truth = new Set(events.flatMap((e) => (e.kind === 'ack' ? [e.id] : [])));
    assert.deepEqual(
      [...acked].sort((a, b) => a - b),
      [...truth].sort((a, b) => a - b),
    );
    // The write stall is exact: from the last ack before the fault to the first after it.
    assert.equal(raw.acks[1]![2] - raw.acks[0]![3], 7002 - 2982);
  });

  it('keeps failed writes, lost and phantom ids', () => {
    assert.deepEqual(raw.writeErrorTexts, ['timeout', 'connection refused']);
    assert.deepEqual(raw.writeErrors, [
      [201, 3100, 0],
      [202, 3200, 1],
      [204, 3300, 0],
    ]);
    assert.deepEqual(raw.lost, [[150, 2481]]);
    assert.deepEqual(raw.phantom, [9999]);
  });

  it('keeps each node accepting windows, from which the split brain is found again', () => {
    assert.deepEqual(raw.accepting, { n1: [[0, 6200]], n2: [[6001, 9901]] });
    const again: HistoryEvent[] = Object.entries(raw.accepting).flatMap(([node, ws]) =>
      ws.flatMap(([from, to]) => [
        { at: from, kind: 'probe-write' as const, node, ok: true },
        { at: to, kind: 'probe-write' as const, node, ok: true },
        { at: to + 0.1, kind: 'probe-write' as const, node, ok: false },
      ]),
    );
    again.sort((a, b) => a.at - b.at);
    assert.equal(checkSplitBrain(again).totalMs, checkSplitBrain(events).totalMs);
    assert.equal(checkSplitBrain(events).totalMs, 199);
  });

  it('keeps the leader key as watched, and its changes', () => {
    assert.deepEqual(raw.leaderKey, [
      [0, 'n1'],
      [5000, null],
      [6000, 'n2'],
    ]);
    assert.deepEqual(raw.leaderChanges, [{ at: 6000, from: 'n1', to: 'n2' }]);
  });

  it('keeps the synchronous standbys /sync named, as watched', () => {
    assert.deepEqual(raw.syncKey, [
      [0, ['n2']],
      [6100, []],
      [7500, ['n3']],
    ]);
  });

  it('goes into the results JSON, tuples one per line, while the tables stay as they were', async () => {
    const column = columnWith(raw);
    const dir = await mkdtemp(join(tmpdir(), 'chaos-report-'));
    try {
      const schedule = { seed: 9, steps: [] };
      const out = await writeReport(dir, [column], schedule, 'schedule seed 9');
      const text = await readFile(out.jsonPath, 'utf8');
      const parsed = JSON.parse(text) as { columns: { history: RawHistory }[] };
      assert.deepEqual(parsed.columns[0]!.history, JSON.parse(JSON.stringify(raw)));
      assert.match(text, /^ {10}\[1, 200, 1001, 2982\],$/m);
      assert.equal(await readFile(out.mdPath, 'utf8'), renderReport([column], 'schedule seed 9'));
      assert.doesNotMatch(out.markdown, /1001/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('formats JSON like JSON.stringify, whatever the nesting', () => {
    const v = { a: [1, 'x', null, true], b: { c: [], d: {}, e: [[1, 2], { f: 3 }] }, g: undefined };
    assert.deepEqual(JSON.parse(resultsJson(v)), JSON.parse(JSON.stringify(v)));
    assert.equal(resultsJson([[1, 2]]), '[\n  [1, 2]\n]');
  });
});

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

function columnWith(history: RawHistory): ColumnResult {
  return {
    system: 'patroni-ts',
    mode: 'async',
    seed: 9,
    topology: 'netns',
    startedAt: '',
    durationMs: 10_000,
    faultsPlanned: 1,
    skipped: [],
    abandoned: null,
    finalLeader: 'n2',
    rowsFrom: 'n2',
    writes: { acked: 297, uncertain: 3, lost: 1, lostSample: [150], phantom: 1 },
    splitBrain: { totalMs: 199, incidents: 1 },
    timelines: { single: true, timelines: {}, problems: [] },
    outcomes: [],
    summary: [],
    history,
  };
}
