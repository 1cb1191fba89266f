import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/log/logger.js';
import { errorMessage } from '../../shared/errors.js';
import { TransportError, classify, unreachable } from './errors.js';

/** Shortest attempt worth making (Patroni gives each request at least 1 s). */
const MIN_ATTEMPT_MS = 1000;
const FIRST_PAUSE_MS = 100;
const MAX_PAUSE_MS = 1000;
/**
 * An attempt still pending this long after its deadline is abandoned, should aborting its HTTP
 * request not settle it: no call may hang.
 */
const HARD_TIMEOUT_GRACE_MS = 250;
/** Below this much budget left, another attempt is not worth it. */
const LAST_TRY_MS = 100;

/**
 * Runs one etcd call within the retry budget, over one client per endpoint. It sticks to the
 * endpoint that answered last; a connectivity failure moves on to the next endpoint, and after a
 * full round of failures it pauses briefly (growing to 1 s) before the next round. Each attempt
 * aborts its HTTP requests at its deadline; when the budget is spent the call throws
 * DCS_UNREACHABLE, so no call outlives `retry_timeout`.
 */
/** Where the endpoint list's keeper (discovery.ts) hears how calls went. */
export interface RetryingHooks {
  /** A call was answered. */
  answered(): void;
  /** A call ran out of its budget: every endpoint failed. */
  exhausted(): void;
}

export class Retrying<C> {
  private budgetMs: number;
  private current = 0;
  hooks: RetryingHooks | null = null;

  constructor(
    private clients: readonly C[],
    private readonly clock: Clock,
    private readonly logger: Logger,
    retryTimeoutSeconds: number,
  ) {
    this.budgetMs = retryTimeoutSeconds * 1000;
  }

  setRetryTimeout(seconds: number): void {
    this.budgetMs = seconds * 1000;
  }

  /**
   * A new endpoint list (the cluster's member list was read): the endpoint in use stays in use
   * when it is still listed, so that a known-good endpoint is not traded for a dead one.
   */
  setClients(clients: readonly C[]): void {
    if (clients.length === 0) return;
    const inUse = this.clients[this.current];
    this.clients = clients;
    const at = inUse === undefined ? -1 : clients.indexOf(inUse);
    this.current = at >= 0 ? at : 0;
  }

  get endpoints(): readonly C[] {
    return this.clients;
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
   * `call` gets a client and the abort signal of one attempt (it fires at the deadline). Lease-not-found errors are
   * rethrown as they are (the caller turns them into a result); other non-retryable errors
   * become DCS_UNREACHABLE at once.
   */
  async run<T>(what: string, call: (client: C, signal: AbortSignal) => Promise<T>): Promise<T> {
    const end = this.clock.now() + this.budgetMs;
    let pause = FIRST_PAUSE_MS;
    for (let attempt = 1; ; attempt++) {
      const remaining = end - this.clock.now();
      const timeout = Math.max(1, Math.min(this.attemptMs(), remaining));
      try {
        const answer = await withDeadline(what, timeout, (signal) => call(this.client, signal));
        this.hooks?.answered();
        return answer;
      } catch (error) {
        const kind = classify(error);
        if (kind === 'lease-not-found') throw error;
        if (kind === 'fatal') throw unreachable(what, error);
        this.logger.debug(`etcd: ${what} attempt ${attempt} failed: ${errorMessage(error)}`);
        this.current = (this.current + 1) % this.clients.length;
        const left = end - this.clock.now();
        if (left < LAST_TRY_MS) {
          this.hooks?.exhausted();
          throw unreachable(what, error);
        }
        if (attempt % this.clients.length === 0) {
          await this.clock.sleep(Math.min(pause, left - LAST_TRY_MS));
          pause = Math.min(MAX_PAUSE_MS, pause * 2);
        }
      }
    }
  }
}

/**
 * Runs one attempt whose signal aborts after `ms`; rejects (retryably) shortly after that even
 * if the attempt ignores its signal.
 */
async function withDeadline<T>(
  what: string,
  ms: number,
  attempt: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const expired = new TransportError(`${what}: no answer within ${ms.toFixed(0)} ms`);
  const abort = setTimeout(() => {
    controller.abort(expired);
  }, ms);
  let hard: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    hard = setTimeout(() => {
      reject(expired);
    }, ms + HARD_TIMEOUT_GRACE_MS);
  });
  try {
    return await Promise.race([attempt(controller.signal), hung]);
  } finally {
    clearTimeout(abort);
    clearTimeout(hard);
  }
}
