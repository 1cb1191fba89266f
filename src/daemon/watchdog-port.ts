import type { WatchdogView } from '../core/ha/input.js';

/**
 * What the loop needs of the watchdog; `Watchdog` of src/watchdog satisfies it. Optional in the
 * loop's dependencies: without one the core plans no watchdog actions.
 */
export interface WatchdogPort {
  view(): WatchdogView;
  /** False when a required watchdog could not be armed safely. */
  activate(): boolean;
  keepalive(): void;
  /** Disarm (magic close); a no-op when not armed. */
  disable(): void;
  readonly running: boolean;
}
