import type { FaultOutcome } from './faults.js';

/** One row of the results table: every fault of one nemesis in one run. */
export interface NemesisSummary {
  readonly nemesis: string;
  readonly faults: number;
  readonly lostRows: number;
  readonly splitBrainMs: number;
  readonly writeGapMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** Over the faults that recovered; null when none did. */
  readonly recoveryMs: { readonly p50: number; readonly max: number } | null;
  readonly falseFailovers: number;
  readonly neededHuman: number;
}

/** Nearest-rank percentile of `values` (0 when empty). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

function summarise(nemesis: string, outcomes: readonly FaultOutcome[]): NemesisSummary {
  const gaps = outcomes.map((o) => o.writeGapMs);
  const recovered = outcomes.flatMap((o) => (o.recoveryMs === null ? [] : [o.recoveryMs]));
  const sum = (f: (o: FaultOutcome) => number): number => outcomes.reduce((s, o) => s + f(o), 0);
  return {
    nemesis,
    faults: outcomes.length,
    lostRows: sum((o) => o.lostRows),
    splitBrainMs: sum((o) => o.splitBrainMs),
    writeGapMs: { p50: percentile(gaps, 50), p99: percentile(gaps, 99), max: Math.max(0, ...gaps) },
    recoveryMs:
      recovered.length === 0
        ? null
        : { p50: percentile(recovered, 50), max: Math.max(...recovered) },
    falseFailovers: sum((o) => o.falseFailovers),
    neededHuman: sum((o) => (o.neededHuman ? 1 : 0)),
  };
}

/** One summary per nemesis (in first-seen order), then `all` over every fault. */
export function summariseByNemesis(outcomes: readonly FaultOutcome[]): NemesisSummary[] {
  const groups = new Map<string, FaultOutcome[]>();
  for (const o of outcomes) groups.set(o.nemesis, [...(groups.get(o.nemesis) ?? []), o]);
  const rows = [...groups].map(([name, list]) => summarise(name, list));
  return [...rows, summarise('all', outcomes)];
}
