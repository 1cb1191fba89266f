/**
 * A value read on demand and shared: callers get the last result while it is younger than
 * `maxAgeMs` (counted from when its read started, so it is never older than that), and callers
 * that arrive while a read is under way wait for that same read. Under any request rate the
 * source is asked at most once per `maxAgeMs` plus once per read in flight: a REST flood costs
 * PostgreSQL about one query a second, while each answer is at most a second old.
 */
export class FreshValue<T> {
  private last: { readonly value: T; readonly startedAt: number } | null = null;
  private inFlight: Promise<T> | null = null;

  constructor(
    private readonly read: () => Promise<T>,
    private readonly maxAgeMs: number,
    /** Monotonic milliseconds (Clock.now). */
    private readonly now: () => number,
  ) {}

  /** The shared value; a failed read rejects every caller that waited for it, and is not kept. */
  get(): Promise<T> {
    const last = this.last;
    if (last !== null && this.now() - last.startedAt < this.maxAgeMs) {
      return Promise.resolve(last.value);
    }
    if (this.inFlight !== null) return this.inFlight;
    const startedAt = this.now();
    const reading = this.read().then(
      (value) => {
        this.last = { value, startedAt };
        return value;
      },
      (err: unknown) => {
        this.last = null;
        throw err;
      },
    );
    this.inFlight = reading.finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /** Forgets the kept value (e.g. PostgreSQL was restarted); a read in flight is still shared. */
  invalidate(): void {
    this.last = null;
  }
}
