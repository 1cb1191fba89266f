import type { Lsn } from '../model/lsn.js';
import type { HistoryFileLine } from './history.js';

/** Where the local cluster stands, from the running server or pg_controldata. */
export interface LocalPosition {
  readonly timeline: number;
  readonly lsn: Lsn;
  /** A replica (or a stopped one shut down in recovery); false: a former primary. */
  readonly inRecovery: boolean;
}

/**
 * Spec/core.md §11.3, step 4: does this node's history diverge from the leader's? `checkpointEnd`
 * is the end of a stopped former primary's shutdown checkpoint record (pg_waldump), which equals
 * the switch point after a clean switchover; null when unknown.
 */
export function needsRewind(
  local: LocalPosition,
  leaderTimeline: number,
  history: readonly HistoryFileLine[],
  checkpointEnd: Lsn | null,
): boolean {
  if (local.timeline > leaderTimeline) return true;
  if (local.timeline === leaderTimeline) return false;
  for (const line of history) {
    if (line.parentTimeline === local.timeline) {
      if (local.inRecovery) return local.lsn > line.switchLsn;
      if (local.lsn >= line.switchLsn) return true;
      return checkpointEnd !== line.switchLsn;
    }
    if (line.parentTimeline > local.timeline) return true;
  }
  return true;
}

/** `Minimum recovery ending location` etc. from pg_controldata → a local position. */
export function positionFromControlData(
  cd: Readonly<Record<string, string>>,
  parseLsn: (text: string) => Lsn | null,
): LocalPosition | null {
  const state = cd['Database cluster state'];
  if (state === 'shut down in recovery' || state === 'in archive recovery') {
    const lsn = parseLsn(cd['Minimum recovery ending location'] ?? '');
    const tli = Number(cd["Min recovery ending loc's timeline"]);
    if (lsn !== null && lsn !== 0 && tli > 0) return { timeline: tli, lsn, inRecovery: true };
  }
  if (state !== undefined && state.startsWith('shut down')) {
    const lsn = parseLsn(cd['Latest checkpoint location'] ?? '');
    const tli = Number(cd["Latest checkpoint's TimeLineID"]);
    if (lsn !== null && tli > 0) return { timeline: tli, lsn, inRecovery: false };
  }
  return null;
}

/** Parses pg_waldump's complaint that marks the end of the last record. */
export function parseWaldumpEnd(
  output: string,
  parseLsn: (text: string) => Lsn | null,
): Lsn | null {
  const m = /invalid record length at ([0-9A-Fa-f]+\/[0-9A-Fa-f]+): wanted 24, got 0/.exec(output);
  return m?.[1] === undefined ? null : parseLsn(m[1]);
}

/**
 * The rewind state machine of spec/core.md §11.2, for the HA loop's memory. `checkpoint` is the
 * leader-side "post-promote checkpoint done" state.
 */
export type RewindState =
  'initial' | 'checkpoint' | 'check' | 'need' | 'not_need' | 'success' | 'failed';

const REWIND_ALLOWED: Readonly<Record<RewindState, readonly RewindState[]>> = {
  initial: ['check', 'checkpoint'],
  checkpoint: ['initial', 'check'],
  check: ['need', 'not_need', 'initial'],
  need: ['success', 'failed', 'initial'],
  not_need: ['check', 'initial'],
  success: ['initial', 'check'],
  failed: ['initial', 'check'],
};

export function canRewindTransition(from: RewindState, to: RewindState): boolean {
  return from === to || REWIND_ALLOWED[from].includes(to);
}
