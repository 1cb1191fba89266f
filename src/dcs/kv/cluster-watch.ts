import type { Clock } from '../../shared/clock.js';
import { errorMessage } from '../../shared/errors.js';
import type { Logger } from '../../shared/log/logger.js';
import type { KvBackend, KvEvent } from './backend.js';
import { wakes } from './wake-rule.js';

/** Where a watch starts: the scope directory, a revision, and the values known just before it. */
export interface WatchStart {
  /** Absolute scope prefix, trailing slash included. */
  readonly prefix: string;
  readonly fromRevision: number;
  /** Relative key -> value as of `fromRevision - 1` (what the last snapshot saw). */
  readonly values: ReadonlyMap<string, string>;
  /** My member name: my own status writes do not wake me. */
  readonly me: string;
  /** Revisions written by this client: they update `values` but never wake. */
  readonly mine: { has(revision: number): boolean };
}

/**
 * The loop's early wake-up (spec/core.md §4.1): wait for a change of the cluster that matters
 * (see wake-rule.ts), for a local `wakeup()`, or for the time to run out. Like Patroni's event,
 * a wake-up that arrives while nobody waits is kept for the next wait.
 */
export class ClusterWatch {
  private pending = false;
  /** One finisher per wait in progress: `true` for a wake-up, `false` for the end. */
  private readonly waiters = new Set<(woken: boolean) => void>();

  constructor(
    private readonly backend: KvBackend,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  wakeup(): void {
    if (this.waiters.size === 0) {
      this.pending = true;
      return;
    }
    for (const w of [...this.waiters]) w(true);
  }

  /** `start` null: wait only for a wake-up or the timeout. */
  wait(start: WatchStart | null, timeoutMs: number): Promise<boolean> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve(true);
    }
    const controller = new AbortController();
    return new Promise<boolean>((resolve) => {
      let settled = false;
      const finish = (woken: boolean): void => {
        if (settled) return;
        settled = true;
        this.waiters.delete(finish);
        controller.abort();
        resolve(woken);
      };
      this.waiters.add(finish);
      void this.clock.sleep(Math.max(0, timeoutMs), controller.signal).then(() => {
        finish(false);
      });
      if (start !== null) this.follow(start, finish, controller.signal);
    });
  }

  private follow(start: WatchStart, finish: (woken: boolean) => void, signal: AbortSignal): void {
    const values = new Map(start.values);
    const onEvent = (event: KvEvent): void => {
      const relative = event.key.slice(start.prefix.length);
      const woken = wakes(event, relative, values, start.me);
      if (woken && !(event.type !== 'lost' && start.mine.has(event.revision))) finish(true);
    };
    this.backend
      .watchPrefix(start.prefix, start.fromRevision, onEvent, signal)
      .catch((error: unknown) => {
        // A broken watch is not an error of the loop: it just waits out its time.
        this.logger.debug(`DCS watch failed: ${errorMessage(error)}`);
      });
  }

  /** Ends every wait (with false) and drops a pending wake-up. */
  close(): void {
    this.pending = false;
    for (const w of [...this.waiters]) w(false);
  }
}
