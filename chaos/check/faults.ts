import type { HistoryEvent } from '../types.js';
import type { SplitBrainIncident } from './split-brain.js';

/** What one fault did, from its injection until the next fault (or the end of the writes). */
export interface FaultOutcome {
  readonly index: number;
  readonly nemesis: string;
  readonly description: string;
  readonly at: number;
  readonly healAt: number | null;
  /** The first `healthy` after the heal, within this fault's window. */
  readonly healthyAt: number | null;
  readonly end: number;
  /** The longest stretch without an acknowledged write that touches [at, healthy or end]. */
  readonly writeGapMs: number;
  /** From heal to healthy; null when it never got healthy in its window. */
  readonly recoveryMs: number | null;
  /** Not healthy by itself within the deadline after the heal. */
  readonly neededHuman: boolean;
  /** Leader changes in this window that the fault had no business causing. */
  readonly falseFailovers: number;
  readonly leaderChanges: number;
  readonly lostRows: number;
  readonly splitBrainMs: number;
}

export interface FaultInputs {
  readonly events: readonly HistoryEvent[];
  /** When the writers stopped (the last window ends there). */
  readonly writesEnd: number;
  readonly recoveryDeadlineMs: number;
  /** Ack times of the acknowledged ids that were lost. */
  readonly lostAckTimes?: readonly number[];
  readonly splitBrain?: readonly SplitBrainIncident[];
}

export interface LeaderChange {
  readonly at: number;
  readonly from: string;
  readonly to: string;
}

/** Changes of the leader key's holder; a spell without a leader between two holders is one change. */
export function leaderChanges(events: readonly HistoryEvent[]): LeaderChange[] {
  const out: LeaderChange[] = [];
  let last: string | null = null;
  for (const e of events) {
    if (e.kind !== 'leader' || e.member === null) continue;
    if (last !== null && e.member !== last) out.push({ at: e.at, from: last, to: e.member });
    last = e.member;
  }
  return out;
}

type FaultEvent = Extract<HistoryEvent, { kind: 'fault' }>;

/** One outcome per fault event, in order. */
export function analyseFaults(inp: FaultInputs): FaultOutcome[] {
  const faults = inp.events.filter((e): e is FaultEvent => e.kind === 'fault');
  const acks = inp.events
    .filter((e) => e.kind === 'ack')
    .map((e) => e.at)
    .sort((a, b) => a - b);
  const changes = leaderChanges(inp.events);
  const base = faults.map((f, i) => {
    const end = faults[i + 1]?.at ?? inp.writesEnd;
    const inWindow = (e: HistoryEvent): boolean => e.at >= f.at && e.at < end;
    const heal = inp.events.find((e) => e.kind === 'heal' && inWindow(e));
    const healAt = heal?.at ?? null;
    const healthy = inp.events.find(
      (e) => e.kind === 'healthy' && inWindow(e) && healAt !== null && e.at >= healAt,
    );
    const healthyAt = healthy?.at ?? null;
    return { f, i, end, healAt, healthyAt };
  });
  // A lost row or a split brain belongs to the first fault not yet over (healthy) when it began.
  const owner = (t: number): number => base.findIndex((b) => (b.healthyAt ?? b.end) >= t);
  const lost = countBy((inp.lostAckTimes ?? []).map(owner));
  const split = new Map<number, number>();
  for (const s of inp.splitBrain ?? []) {
    const k = owner(s.from);
    split.set(k, (split.get(k) ?? 0) + Math.round(s.to - s.from));
  }
  return base.map(({ f, i, end, healAt, healthyAt }) => {
    const mine = changes.filter((c) => c.at >= f.at && c.at < end);
    const expected = (c: LeaderChange): boolean =>
      f.hitsLeader === true || (f.targets ?? []).includes(c.from);
    const recoveryMs = healAt !== null && healthyAt !== null ? healthyAt - healAt : null;
    return {
      index: i,
      nemesis: f.nemesis,
      description: f.description,
      at: f.at,
      healAt,
      healthyAt,
      end,
      writeGapMs: longestGap(acks, f.at, healthyAt ?? end, inp.writesEnd),
      recoveryMs,
      neededHuman: recoveryMs === null || recoveryMs > inp.recoveryDeadlineMs,
      falseFailovers: mine.filter((c) => !expected(c)).length,
      leaderChanges: mine.length,
      lostRows: lost.get(i) ?? 0,
      splitBrainMs: split.get(i) ?? 0,
    };
  });
}

/**
 * The longest time without an acknowledgement (sorted `acks`) in [from, to], a stretch that began
 * before `from` counted from `from` only (it belongs to an earlier fault); when none came after
 * `from` at all, up to `writesEnd`.
 */
export function longestGap(
  acks: readonly number[],
  from: number,
  to: number,
  writesEnd: number,
): number {
  let i = lowerBound(acks, from);
  let prev = from;
  let gap = 0;
  for (; i < acks.length && prev <= to; i++) {
    const t = acks[i]!;
    gap = Math.max(gap, t - prev);
    prev = t;
  }
  if (prev <= to) gap = Math.max(gap, writesEnd - prev);
  return Math.round(gap);
}

function lowerBound(xs: readonly number[], v: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function countBy(keys: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const k of keys) out.set(k, (out.get(k) ?? 0) + 1);
  return out;
}
