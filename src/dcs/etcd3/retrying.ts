import type { KVClient } from 'etcd3';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/log/logger.js';
import { errorMessage } from '../../shared/errors.js';
import { classify, unreachable } from './errors.js';

/** gRPC call options, taken from etcd3's own signatures (grpc-js is not our dependency). */
export type CallOptions = NonNullable<Parameters<KVClient['range']>[1]>;

/** Shortest attempt worth making (Patroni gives each request at least 1 s). */
const MIN_ATTEMPT_MS = 1000;
const FIRST_PAUSE_MS = 100;
const MAX_PAUSE_MS = 1000;

/**
 * Runs one etcd call within the retry budget: each attempt carries a gRPC deadline, failed
 * connectivity is retried (on another endpoint, since the pool shuffles hosts per call) with a
 * short growing pause, and when the budget is spent the call throws DCS_UNREACHABLE. The
 * etcd3 library's own retry and circuit breaker are switched off (see backend.ts) so that this
 * is the only policy and no call outlives `retry_timeout`.
 */
export class Retrying {
  private budgetMs: number;

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    retryTimeoutSeconds: number,
    private readonly endpoints: number,
  ) {
    this.budgetMs = retryTimeoutSeconds * 1000;
  }

  setRetryTimeout(seconds: number): void {
    this.budgetMs = seconds * 1000;
  }

  /** The per-attempt share of the budget: every endpoint gets a try, each at least 1 s. */
  private attemptMs(): number {
    const tries = this.endpoints >= 3 ? this.endpoints : this.endpoints === 2 ? 4 : 3;
    return Math.max(MIN_ATTEMPT_MS, this.budgetMs / tries);
  }

  /**
   * `call` gets the gRPC options of one attempt. Lease-not-found errors are rethrown as they are
   * (the caller turns them into a result); other non-retryable errors become DCS_UNREACHABLE.
   */
  async run<T>(what: string, call: (options: CallOptions) => Promise<T>): Promise<T> {
    const start = this.clock.now();
    const end = start + this.budgetMs;
    let pause = FIRST_PAUSE_MS;
    for (let attempt = 1; ; attempt++) {
      const remaining = end - this.clock.now();
      const timeout = Math.max(1, Math.min(this.attemptMs(), remaining));
      try {
        return await call({ deadline: new Date(Date.now() + timeout) });
      } catch (error) {
        const kind = classify(error);
        if (kind === 'lease-not-found') throw error;
        if (kind === 'fatal') throw unreachable(what, error);
        const left = end - this.clock.now();
        if (left <= pause) throw unreachable(what, error);
        this.logger.debug(`etcd: ${what} attempt ${attempt} failed: ${errorMessage(error)}`);
        await this.clock.sleep(pause);
        pause = Math.min(MAX_PAUSE_MS, pause * 2);
      }
    }
  }
}
