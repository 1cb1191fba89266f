import type { HistoryEvent } from './types.js';

/** Where the workload, the runner and the nemeses' log write what happened, on one clock. */
export interface Recorder {
  /** Monotonic milliseconds since the run began. */
  now(): number;
  record(event: HistoryEvent): void;
}

/** The run's history: every event in the order it was recorded, times from one monotonic clock. */
export class History implements Recorder {
  readonly events: HistoryEvent[] = [];
  private readonly origin = performance.now();

  now(): number {
    return Math.round((performance.now() - this.origin) * 10) / 10;
  }

  record(event: HistoryEvent): void {
    this.events.push(event);
  }
}
