import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { HistoryEvent } from '../types.js';
import { analyseFaults, leaderChanges, longestGap } from './faults.js';
import { summariseByNemesis, percentile } from './summary.js';

function acks(from: number, to: number, every = 20): HistoryEvent[] {
  const out: HistoryEvent[] = [];
  for (let at = from; at <= to; at += every) out.push({ at, kind: 'ack', id: at, writer: 0 });
  return out;
}

const sorted = (e: HistoryEvent[]): HistoryEvent[] => e.sort((a, b) => a.at - b.at);

/** A leader kill at 1 s: writes stop until 4 s, n2 takes over at 3.9 s, healthy at 9 s. */
function killHistory(): HistoryEvent[] {
  return sorted([
    { at: 0, kind: 'leader', member: 'n1' },
    ...acks(0, 1000),
    {
      at: 1001,
      kind: 'fault',
      nemesis: 'kill-leader',
      description: 'kill n1',
      hitsLeader: true,
      targets: ['n1'],
    },
    { at: 3900, kind: 'leader', member: 'n2' },
    ...acks(4000, 20_000),
    { at: 6000, kind: 'heal', nemesis: 'kill-leader' },
    { at: 9000, kind: 'healthy' },
    {
      at: 12_000,
      kind: 'fault',
      nemesis: 'latency',
      description: 'jitter on n3',
      hitsLeader: false,
      targets: ['n3'],
    },
    { at: 13_000, kind: 'leader', member: null },
    { at: 13_500, kind: 'leader', member: 'n3' },
    { at: 15_000, kind: 'heal', nemesis: 'latency' },
    { at: 15_500, kind: 'healthy' },
  ]);
}

describe('per-fault outcomes', () => {
  it('measures the write gap, the recovery and the expected failover of a leader kill', () => {
    const [kill] = analyseFaults({
      events: killHistory(),
      writesEnd: 20_000,
      recoveryDeadlineMs: 60_000,
    });
    assert.equal(kill!.writeGapMs, 2999);
    assert.equal(kill!.recoveryMs, 3000);
    assert.equal(kill!.neededHuman, false);
    assert.equal(kill!.leaderChanges, 1);
    assert.equal(kill!.falseFailovers, 0);
  });

  it('counts a leader change under a fault that did not hit the leader as false', () => {
    const [, jitter] = analyseFaults({
      events: killHistory(),
      writesEnd: 20_000,
      recoveryDeadlineMs: 60_000,
    });
    assert.equal(jitter!.falseFailovers, 1);
    assert.equal(jitter!.writeGapMs, 20);
  });

  it('says a human was needed when no healthy came within the deadline, or at all', () => {
    const events = sorted([
      ...acks(0, 5000),
      { at: 100, kind: 'fault', nemesis: 'x', description: 'x' },
      { at: 200, kind: 'heal', nemesis: 'x' },
      { at: 2300, kind: 'healthy' },
      { at: 3000, kind: 'fault', nemesis: 'y', description: 'y' },
      { at: 3100, kind: 'heal', nemesis: 'y' },
    ]);
    const [x, y] = analyseFaults({ events, writesEnd: 5000, recoveryDeadlineMs: 2000 });
    assert.equal(x!.neededHuman, true);
    assert.equal(y!.neededHuman, true);
    assert.equal(y!.recoveryMs, null);
  });

  it('gives lost rows and split brain to the fault that was not over when they began', () => {
    const [kill, jitter] = analyseFaults({
      events: killHistory(),
      writesEnd: 20_000,
      recoveryDeadlineMs: 60_000,
      lostAckTimes: [980, 1000, 10_000],
      splitBrain: [{ nodes: ['n1', 'n2'], from: 3900, to: 4200 }],
    });
    assert.equal(kill!.lostRows, 2);
    assert.equal(jitter!.lostRows, 1);
    assert.equal(kill!.splitBrainMs, 300);
  });

  it('counts a stretch without writes that began before the fault only from the fault on', () => {
    assert.equal(longestGap([0, 20, 5000, 5020], 3000, 6000, 6000), 2000);
  });

  it('measures a gap that never closed up to the end of the writes', () => {
    assert.equal(longestGap([0, 20, 40], 30, 100, 500), 460);
    assert.equal(longestGap([0, 20, 40, 60], 30, 100, 60), 20);
  });

  it('treats a spell without a leader between the same holder as no change', () => {
    const changes = leaderChanges([
      { at: 0, kind: 'leader', member: 'n1' },
      { at: 1, kind: 'leader', member: null },
      { at: 2, kind: 'leader', member: 'n1' },
      { at: 3, kind: 'leader', member: 'n2' },
    ]);
    assert.deepEqual(changes, [{ at: 3, from: 'n1', to: 'n2' }]);
  });
});

describe('summary', () => {
  it('takes nearest-rank percentiles', () => {
    assert.equal(percentile([5, 1, 3, 2, 4], 50), 3);
    assert.equal(percentile([1, 2, 3, 4, 100], 99), 100);
    assert.equal(percentile([], 50), 0);
  });

  it('sums per nemesis and over all', () => {
    const out = analyseFaults({
      events: killHistory(),
      writesEnd: 20_000,
      recoveryDeadlineMs: 60_000,
    });
    const rows = summariseByNemesis(out);
    assert.deepEqual(
      rows.map((r) => [r.nemesis, r.faults, r.falseFailovers]),
      [
        ['kill-leader', 1, 0],
        ['latency', 1, 1],
        ['all', 2, 1],
      ],
    );
    assert.deepEqual(rows[2]?.writeGapMs, { p50: 20, p99: 2999, max: 2999 });
  });
});
