import type { FaultOutcome } from '../check/faults.js';
import type { NemesisSummary } from '../check/summary.js';
import type { TimelinesVerdict } from '../check/timelines.js';
import type { ReplicationMode, SystemUnderTest } from '../types.js';
import type { RawHistory } from './history.js';

/** Everything one system in one mode did on the schedule: a column of the results table. */
export interface ColumnResult {
  readonly system: SystemUnderTest;
  readonly mode: ReplicationMode;
  readonly seed: number;
  readonly topology: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly faultsPlanned: number;
  /**
   * Nemeses whose injection failed (e.g. a switchover with no candidate), at their schedule step,
   * with the nemesis that ran instead (null: none could, the step has no fault).
   */
  readonly skipped: readonly {
    readonly index: number;
    readonly nemesis: string;
    readonly reason: string;
    readonly replacedBy?: string | null;
  }[];
  /** Why the schedule stopped early (not healthy even after a human's fix), or null. */
  readonly abandoned: string | null;
  readonly finalLeader: string | null;
  /** The node whose rows were checked: the final leader, or without one the node with most rows. */
  readonly rowsFrom: string | null;
  readonly writes: {
    readonly acked: number;
    readonly uncertain: number;
    readonly lost: number;
    /** The first lost ids, for a look at the final leader. */
    readonly lostSample: readonly number[];
    readonly phantom: number;
  };
  readonly splitBrain: { readonly totalMs: number; readonly incidents: number };
  readonly timelines: TimelinesVerdict | { readonly error: string };
  readonly outcomes: readonly FaultOutcome[];
  readonly summary: readonly NemesisSummary[];
  /** What happened, raw, to analyse the run again without running it (absent in older files). */
  readonly history?: RawHistory;
}
