/**
 * Time comes in through this seam so that tests can fix it. `now()` is monotonic milliseconds
 * (for deadlines and TTL arithmetic); `wallNow()` is epoch milliseconds (for timestamps that leave
 * the process: logs, DCS history lines, scheduled switchovers).
 */
export interface Clock {
  now(): number;
  wallNow(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted === true) {
        resolve();
        return;
      }
      const timer = setTimeout(done, Math.max(0, ms));
      function done(): void {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

/** A clock that only moves when told to; sleeps resolve when time is advanced past them. */
export class ManualClock implements Clock {
  private current: number;
  private readonly sleepers: { until: number; resolve: () => void }[] = [];

  constructor(
    start = 1_000_000,
    private readonly wallOffset = 1_700_000_000_000,
  ) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  wallNow(): number {
    return this.current + this.wallOffset;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      if (signal?.aborted === true || ms <= 0) {
        resolve();
        return;
      }
      const entry = { until: this.current + ms, resolve };
      this.sleepers.push(entry);
      signal?.addEventListener('abort', () => {
        const i = this.sleepers.indexOf(entry);
        if (i >= 0) this.sleepers.splice(i, 1);
        resolve();
      });
    });
  }

  advance(ms: number): void {
    this.current += ms;
    for (let i = this.sleepers.length - 1; i >= 0; i--) {
      const s = this.sleepers[i];
      if (s !== undefined && s.until <= this.current) {
        this.sleepers.splice(i, 1);
        s.resolve();
      }
    }
  }
}
