/**
 * The raw history of one column, kept in the results JSON so that a run can be analysed again
 * (other checks, other thresholds) without running it again. Everything is on the column's own
 * clock: milliseconds since its history began, monotonic, to 0.1 ms.
 */
import { leaderChanges, type LeaderChange } from '../check/faults.js';
import { acceptingWindows, type Interval } from '../check/split-brain.js';
import type { HistoryEvent } from '../types.js';

/**
 * Acknowledgements within one range are at most this far apart, so every pause in the writes
 * longer than this is exact in the ranges (between one range's last ack and another's first).
 */
export const ACK_RANGE_MAX_PAUSE_MS = 100;

export interface RawFault {
  /** The schedule step (skipped steps leave a hole in this numbering). */
  readonly step: number | null;
  readonly nemesis: string;
  readonly description: string;
  readonly targets: readonly string[];
  readonly hitsLeader: boolean | null;
  readonly at: number;
  readonly healAt: number | null;
  /** Healthy again after the heal (null: never, within its window). */
  readonly healthyAt: number | null;
  /** The end of the settle time after healthy, when the next fault may come. */
  readonly settledAt: number | null;
}

export interface RawHistory {
  readonly clock: string;
  /** When the writers were told to stop. */
  readonly writesEnd: number;
  readonly faults: readonly RawFault[];
  /**
   * Acknowledged ids as `[firstId, lastId, firstAckAt, lastAckAt]`: every id from first to last
   * was acknowledged, at times within [firstAckAt, lastAckAt] that never pause longer than
   * `ackRangeMaxPauseMs` (ids by number, so two writers' interleaved acks share a range).
   */
  readonly ackRangeMaxPauseMs: number;
  readonly acks: readonly (readonly [number, number, number, number])[];
  /** Every failed write as `[id, at, index into writeErrorTexts]`. */
  readonly writeErrors: readonly (readonly [number, number, number])[];
  readonly writeErrorTexts: readonly string[];
  /** Acknowledged ids missing from the final leader, each with its ack time: `[id, ackAt]`. */
  readonly lost: readonly (readonly [number, number])[];
  /** Ids on the final leader no writer sent. */
  readonly phantom: readonly number[];
  /** Per node, the stretches over which the split-brain probe's writes were accepted: `[from, to]`. */
  readonly accepting: Readonly<Record<string, readonly (readonly [number, number])[]>>;
  /** The leader key's holder each time the watcher saw it change: `[at, member or null]`. */
  readonly leaderKey: readonly (readonly [number, string | null])[];
  /** The `/sync` key's standbys each time the watcher saw them change: `[at, names]`. */
  readonly syncKey: readonly (readonly [number, readonly string[]])[];
  /** Changes of holder (a spell without a leader between two holders is one change). */
  readonly leaderChanges: readonly LeaderChange[];
}

/**
 * Builds the raw history from the column's events (sorted by time), the final leader's lost and
 * phantom ids, and when the writes stopped.
 */
export function rawHistory(
  events: readonly HistoryEvent[],
  writesEnd: number,
  lost: readonly number[],
  phantom: readonly number[],
): RawHistory {
  const ackAt = new Map<number, number>();
  const errors: [number, number, number][] = [];
  const texts = new Map<string, number>();
  const leaderKey: [number, string | null][] = [];
  const syncKey: [number, readonly string[]][] = [];
  for (const e of events) {
    if (e.kind === 'ack') ackAt.set(e.id, e.at);
    else if (e.kind === 'write-error') {
      let t = texts.get(e.error);
      if (t === undefined) {
        t = texts.size;
        texts.set(e.error, t);
      }
      errors.push([e.id, e.at, t]);
    } else if (e.kind === 'leader') leaderKey.push([e.at, e.member]);
    else if (e.kind === 'sync') syncKey.push([e.at, e.standbys]);
  }
  return {
    clock: 'ms since the column began, monotonic',
    writesEnd,
    faults: faultsOf(events),
    ackRangeMaxPauseMs: ACK_RANGE_MAX_PAUSE_MS,
    acks: ackRanges(ackAt),
    writeErrors: errors,
    writeErrorTexts: [...texts.keys()],
    lost: lost.map((id) => [id, ackAt.get(id) ?? 0] as const),
    phantom: [...phantom],
    accepting: Object.fromEntries(
      [...acceptingWindows(events)]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([node, ws]) => [node, ws.map((w: Interval) => [w.from, w.to] as const)]),
    ),
    leaderKey,
    syncKey,
    leaderChanges: leaderChanges(events),
  };
}

type FaultEvent = Extract<HistoryEvent, { kind: 'fault' }>;

/** Each fault with the heal, healthy and settled events that follow it before the next fault. */
function faultsOf(events: readonly HistoryEvent[]): RawFault[] {
  const out: RawFault[] = [];
  let current: {
    f: FaultEvent;
    heal: number | null;
    healthy: number | null;
    settled: number | null;
  } | null = null;
  const flush = (): void => {
    if (current === null) return;
    const { f, heal, healthy, settled } = current;
    out.push({
      step: f.step ?? null,
      nemesis: f.nemesis,
      description: f.description,
      targets: f.targets ?? [],
      hitsLeader: f.hitsLeader ?? null,
      at: f.at,
      healAt: heal,
      healthyAt: healthy,
      settledAt: settled,
    });
  };
  for (const e of events) {
    if (e.kind === 'fault') {
      flush();
      current = { f: e, heal: null, healthy: null, settled: null };
    } else if (current === null) {
      continue;
    } else if (e.kind === 'heal') {
      current.heal ??= e.at;
    } else if (e.kind === 'healthy' && current.heal !== null) {
      current.healthy ??= e.at;
    } else if (e.kind === 'settled') {
      current.settled ??= e.at;
    }
  }
  flush();
  return out;
}

/** Runs of consecutive acknowledged ids whose ack times, in id order, never jump further apart than the bound. */
export function ackRanges(ackAt: ReadonlyMap<number, number>): [number, number, number, number][] {
  const ids = [...ackAt.keys()].sort((a, b) => a - b);
  const out: [number, number, number, number][] = [];
  let run: [number, number, number, number] | null = null;
  let prevAt = 0;
  for (const id of ids) {
    const at = ackAt.get(id)!;
    if (run !== null && id === run[1] + 1 && Math.abs(at - prevAt) <= ACK_RANGE_MAX_PAUSE_MS) {
      run[1] = id;
      run[2] = Math.min(run[2], at);
      run[3] = Math.max(run[3], at);
    } else {
      if (run !== null) out.push(run);
      run = [id, id, at, at];
    }
    prevAt = at;
  }
  if (run !== null) out.push(run);
  return out;
}
