import type { Clock } from '../../shared/clock.js';
import { errorMessage } from '../../shared/errors.js';
import type { Logger } from '../../shared/log/logger.js';
import type { KvBackend, KvEvent } from './backend.js';

/**
 * The loop's early wake-up (spec/core.md §4.1): wait for the leader key to change, for a local
 * `wakeup()`, or for the time to run out. Like Patroni's event, a wake-up that arrives while
 * nobody waits is kept for the next wait.
 */
export class LeaderWatch {
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

  /**
   * `key` null: wait only for a wake-up. Otherwise events after `leaderIndex` wake us unless
   * they are puts of the value we already know (`knownValue`, the holder refreshing its lock).
   */
  wait(
    key: string | null,
    leaderIndex: number | null,
    knownValue: string | null,
    timeoutMs: number,
  ): Promise<boolean> {
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
      if (key === null || leaderIndex === null) return;
      const onEvent = (event: KvEvent): void => {
        if (event.type !== 'put' || event.value !== knownValue) finish(true);
      };
      this.backend
        .watchKey(key, leaderIndex + 1, onEvent, controller.signal)
        .catch((error: unknown) => {
          // A broken watch is not an error of the loop: it just waits out its time.
          this.logger.debug(`leader watch failed: ${errorMessage(error)}`);
        });
    });
  }

  /** Ends every wait (with false) and drops a pending wake-up. */
  close(): void {
    this.pending = false;
    for (const w of [...this.waiters]) w(false);
  }
}
