import { errorMessage } from '../shared/errors.js';
import type { Logger } from '../shared/log/logger.js';

/** A long action that is running or has just finished, as the HA core sees it. */
export interface SlotState {
  readonly action: string;
  readonly startedAt: number;
  /** The action may still be called off without harm (a promote still in pre_promote). */
  readonly cancellable: boolean;
}

export interface FinishedAction<T = unknown> {
  readonly action: string;
  readonly ok: boolean;
  readonly result?: T;
  readonly error?: string;
}

/**
 * Patroni's async executor: one long action at a time (promote, clone, rewind, restart ...), so the
 * HA loop keeps running and refreshing the leader lock while PostgreSQL is busy. Starting a second
 * action while one runs is refused with Patroni's sentence instead of queueing, because a queued
 * promote behind a stale demote is exactly the kind of surprise an HA manager must not have.
 */
export class AsyncSlot {
  private running: (SlotState & { controller: AbortController; cancellable: boolean }) | null =
    null;
  private finished: FinishedAction | null = null;
  /** The tail of the queue of `exclusive` sections (Patroni's `with self._async_executor`). */
  private gate: Promise<void> = Promise.resolve();

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number,
    /** Called when an action ends, so the loop runs again at once instead of after loop_wait. */
    private readonly onFinish: () => void,
  ) {}

  current(): SlotState | null {
    const r = this.running;
    return r === null
      ? null
      : { action: r.action, startedAt: r.startedAt, cancellable: r.cancellable };
  }

  /** The running action says whether calling it off is still harmless. */
  setCancellable(value: boolean): void {
    if (this.running !== null) this.running.cancellable = value;
  }

  /** The last finished action, handed out once. */
  takeFinished(): FinishedAction | null {
    const f = this.finished;
    this.finished = null;
    return f;
  }

  /** Returns null when started, else Patroni's refusal sentence. */
  tryRun<T>(action: string, work: (signal: AbortSignal) => Promise<T>): string | null {
    const started = this.tryStart(action, work);
    return typeof started === 'string' ? started : null;
  }

  /**
   * Like tryRun, but hands the caller its own promise of the outcome (a REST request that waits
   * for its restart), independent of the record the HA loop takes with takeFinished().
   */
  tryStart<T>(
    action: string,
    work: (signal: AbortSignal) => Promise<T>,
  ): string | Promise<FinishedAction<T>> {
    if (this.running !== null) {
      return `Failed to run ${action}, ${this.running.action} is already in progress`;
    }
    const controller = new AbortController();
    this.running = { action, startedAt: this.now(), controller, cancellable: false };
    return this.execute(action, controller, work);
  }

  /**
   * Runs `section` when no other exclusive section runs, in arrival order: Patroni's lock of its
   * async executor, which an HA cycle holds from start to end and an action takes for a step
   * that must not interleave with a cycle (a demotion releasing the leader key). Not reentrant:
   * a section must never wait for another one.
   */
  async exclusive<T>(section: () => Promise<T>): Promise<T> {
    const before = this.gate;
    let open: () => void = () => undefined;
    this.gate = new Promise<void>((resolve) => (open = resolve));
    await before;
    try {
      return await section();
    } finally {
      open();
    }
  }

  /** Asks the running action to stop; it decides how fast it can. */
  cancel(): void {
    this.running?.controller.abort();
  }

  /** Resolves when nothing runs (for shutdown). */
  async idle(pollMs = 50): Promise<void> {
    while (this.running !== null) await new Promise((r) => setTimeout(r, pollMs));
  }

  private async execute<T>(
    action: string,
    controller: AbortController,
    work: (signal: AbortSignal) => Promise<T>,
  ): Promise<FinishedAction<T>> {
    let outcome: FinishedAction<T>;
    try {
      outcome = { action, ok: true, result: await work(controller.signal) };
    } catch (err) {
      this.logger.error(`${action} failed: ${errorMessage(err)}`);
      outcome = { action, ok: false, error: errorMessage(err) };
    }
    this.finished = outcome;
    this.running = null;
    this.onFinish();
    return outcome;
  }
}
