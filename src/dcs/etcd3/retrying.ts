import { GRPCDeadlineExceededError, type KVClient } from 'etcd3';
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
 * An attempt still pending this long after its gRPC deadline is abandoned: the library awaits
 * some steps without a deadline of ours (e.g. fetching an auth token), and no call may hang.
 */
const HARD_TIMEOUT_GRACE_MS = 250;
/** Below this much budget left, another attempt is not worth it. */
const LAST_TRY_MS = 100;

/**
 * Runs one etcd call within the retry budget, over one client per endpoint. It sticks to the
 * endpoint that answered last; a connectivity failure moves on to the next endpoint, and after a
 * full round of failures it pauses briefly (growing to 1 s) before the next round. Each attempt
 * carries a gRPC deadline; when the budget is spent the call throws DCS_UNREACHABLE. The etcd3
 * library's own retry and circuit breaker are switched off (see backend.ts) so that this is the
 * only policy and no call outlives `retry_timeout`.
 */
export class Retrying<C> {
  private budgetMs: number;
  private current = 0;

  constructor(
    private readonly clients: readonly C[],
    private readonly clock: Clock,
    private readonly logger: Logger,
    retryTimeoutSeconds: number,
  ) {
    this.budgetMs = retryTimeoutSeconds * 1000;
  }

  setRetryTimeout(seconds: number): void {
    this.budgetMs = seconds * 1000;
  }

  /** The client of the endpoint in use (for long-lived streams such as watches). */
  get client(): C {
    const c = this.clients[this.current] ?? this.clients[0];
    if (c === undefined) throw new Error('no etcd endpoint');
    return c;
  }

  /** Patroni's split (`_calculate_timeouts`): 1 node 3 tries, 2 nodes 2 each, else 1 each. */
  private attemptMs(): number {
    const n = this.clients.length;
    const tries = n >= 3 ? n : n === 2 ? 4 : 3;
    return Math.max(MIN_ATTEMPT_MS, this.budgetMs / tries);
  }

  /**
   * `call` gets a client and the gRPC options of one attempt. Lease-not-found errors are
   * rethrown as they are (the caller turns them into a result); other non-retryable errors
   * become DCS_UNREACHABLE at once.
   */
  async run<T>(what: string, call: (client: C, options: CallOptions) => Promise<T>): Promise<T> {
    const end = this.clock.now() + this.budgetMs;
    let pause = FIRST_PAUSE_MS;
    for (let attempt = 1; ; attempt++) {
      const remaining = end - this.clock.now();
      const timeout = Math.max(1, Math.min(this.attemptMs(), remaining));
      try {
        return await withHardTimeout(
          call(this.client, { deadline: new Date(Date.now() + timeout) }),
          timeout + HARD_TIMEOUT_GRACE_MS,
          what,
        );
      } catch (error) {
        const kind = classify(error);
        if (kind === 'lease-not-found') throw error;
        if (kind === 'fatal') throw unreachable(what, error);
        this.logger.debug(`etcd: ${what} attempt ${attempt} failed: ${errorMessage(error)}`);
        this.current = (this.current + 1) % this.clients.length;
        const left = end - this.clock.now();
        if (left < LAST_TRY_MS) throw unreachable(what, error);
        if (attempt % this.clients.length === 0) {
          await this.clock.sleep(Math.min(pause, left - LAST_TRY_MS));
          pause = Math.min(MAX_PAUSE_MS, pause * 2);
        }
      }
    }
  }
}

/** Rejects with a retryable gRPC-like timeout when `call` has not settled after `ms`. */
async function withHardTimeout<T>(call: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new GRPCDeadlineExceededError(`${what}: no answer within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
