import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { HistoryEvent } from '../types.js';
import { acceptingWindows, checkSplitBrain } from './split-brain.js';

/** Probes of `node` every 100 ms from `from` to `to` (inclusive), all with outcome `ok`. */
function probes(node: string, from: number, to: number, ok = true): HistoryEvent[] {
  const out: HistoryEvent[] = [];
  for (let at = from; at <= to; at += 100) out.push({ at, kind: 'probe-write', node, ok });
  return out;
}

const byTime = (events: HistoryEvent[]): HistoryEvent[] => events.sort((a, b) => a.at - b.at);

describe('split brain', () => {
  it('sees none in a clean handover, however close', () => {
    const h = byTime([
      ...probes('n1', 0, 1000),
      ...probes('n1', 1100, 3000, false),
      ...probes('n2', 0, 1050, false),
      ...probes('n2', 1150, 3000),
    ]);
    assert.deepEqual(checkSplitBrain(h), { totalMs: 0, incidents: [] });
  });

  it('measures the overlap when an isolated old leader keeps accepting', () => {
    const h = byTime([
      ...probes('n1', 0, 2500),
      ...probes('n1', 2600, 4000, false),
      ...probes('n2', 0, 1900, false),
      ...probes('n2', 2000, 4000),
    ]);
    const v = checkSplitBrain(h);
    assert.equal(v.totalMs, 500);
    assert.deepEqual(v.incidents, [{ nodes: ['n1', 'n2'], from: 2000, to: 2500 }]);
  });

  it('counts a single success inside another node’s stretch as an incident', () => {
    const h = byTime([
      ...probes('n1', 0, 1000),
      { at: 500, kind: 'probe-write', node: 'n3', ok: true },
    ]);
    const v = checkSplitBrain(h);
    assert.equal(v.incidents.length, 1);
    assert.equal(v.totalMs, 0);
  });

  it('counts three nodes at once only once in the total', () => {
    const h = byTime([...probes('a', 0, 1000), ...probes('b', 0, 1000), ...probes('c', 0, 1000)]);
    const v = checkSplitBrain(h);
    assert.equal(v.incidents.length, 3);
    assert.equal(v.totalMs, 1000);
  });

  it('breaks a node’s stretch at a failed probe', () => {
    const h = byTime([
      ...probes('n1', 0, 300),
      { at: 400, kind: 'probe-write', node: 'n1', ok: false },
      ...probes('n1', 500, 800),
    ]);
    assert.deepEqual(acceptingWindows(h).get('n1'), [
      { from: 0, to: 300 },
      { from: 500, to: 800 },
    ]);
  });
});
