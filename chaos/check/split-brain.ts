import type { HistoryEvent } from '../types.js';

export interface Interval {
  readonly from: number;
  readonly to: number;
}

/** Two nodes that both accepted probe writes over one stretch of time. */
export interface SplitBrainIncident {
  readonly nodes: readonly [string, string];
  readonly from: number;
  readonly to: number;
}

export interface SplitBrainVerdict {
  /** Milliseconds during which two or more nodes accepted writes. */
  readonly totalMs: number;
  readonly incidents: readonly SplitBrainIncident[];
}

/**
 * The stretches in which each node accepted writes: from the first to the last successful probe
 * of a run that no failed probe interrupts. A stretch is evidence only between probes that
 * succeeded, so a clean handover (old leader's last success before the new leader's first) shows
 * no overlap however close the two are.
 */
export function acceptingWindows(events: readonly HistoryEvent[]): Map<string, Interval[]> {
  const out = new Map<string, Interval[]>();
  const open = new Map<string, { from: number; to: number }>();
  const close = (node: string): void => {
    const run = open.get(node);
    if (run === undefined) return;
    open.delete(node);
    const list = out.get(node) ?? [];
    list.push({ from: run.from, to: run.to });
    out.set(node, list);
  };
  for (const e of events) {
    if (e.kind !== 'probe-write') continue;
    if (!e.ok) {
      close(e.node);
      continue;
    }
    const run = open.get(e.node);
    if (run === undefined) open.set(e.node, { from: e.at, to: e.at });
    else run.to = Math.max(run.to, e.at);
  }
  for (const node of [...open.keys()]) close(node);
  return out;
}

/**
 * Split brain: any two nodes whose accepting stretches overlap. An overlap of zero length (two
 * single successes at the same instant) is still an incident; `totalMs` counts the union of the
 * overlaps, so three nodes at once do not count twice.
 */
export function checkSplitBrain(events: readonly HistoryEvent[]): SplitBrainVerdict {
  const windows = [...acceptingWindows(events)];
  const incidents: SplitBrainIncident[] = [];
  for (let i = 0; i < windows.length; i++) {
    for (let j = i + 1; j < windows.length; j++) {
      const [a, as] = windows[i]!;
      const [b, bs] = windows[j]!;
      for (const x of as) {
        for (const y of bs) {
          const from = Math.max(x.from, y.from);
          const to = Math.min(x.to, y.to);
          if (from <= to) incidents.push({ nodes: [a, b], from, to });
        }
      }
    }
  }
  incidents.sort((p, q) => p.from - q.from);
  return { totalMs: unionLength(incidents), incidents };
}

function unionLength(intervals: readonly Interval[]): number {
  let total = 0;
  let end = -Infinity;
  for (const iv of [...intervals].sort((p, q) => p.from - q.from)) {
    if (iv.to <= end) continue;
    total += iv.to - Math.max(iv.from, end);
    end = iv.to;
  }
  return Math.round(total);
}
