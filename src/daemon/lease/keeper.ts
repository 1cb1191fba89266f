import {
  fenceAt,
  lastUsefulSendMs,
  leaseValidUntil,
  renewIntervalMs,
} from '../../core/config/lease-timing.js';
import { errorMessage } from '../../shared/errors.js';
import { guardAtMs } from './guardian.js';
import type { LeaseHooks, LeaseKeeperDeps, LeaseView } from './keeper-port.js';

export type { FencePolicy, LeaseHooks, LeaseKeeperDeps, LeaseView } from './keeper-port.js';

/** At most this many renewals wait for an answer at once; more would only load a slow store. */
const MAX_OUTSTANDING = 3;
/** A refused or failed renewal is tried again this soon, not a whole interval later. */
const RETRY_PAUSE_MS = 200;

/**
 * The leader lease keeper (issue 17): a backstop that renews the leader lock on its own monotonic
 * timer whenever no renewal (the HA loop's refresh or its own) was sent for one interval
 * (lease-timing.ts `renewIntervalMs`), whatever the loop is doing (a restart, a rewind, a slow
 * PostgreSQL); silent while the loop refreshes the lock every cycle, so the leader sends no more
 * DCS requests than Patroni's. It fences the leader itself when no renewal was confirmed in
 * time: the commit gate is closed before the lease's last valid moment, counted from when the
 * last confirmed renewal was SENT. A replica can only promote once the store has deleted the
 * key, which is after that moment, so the gate is closed before anyone else can open. Behind the
 * gate renewals go on: one confirmed before the lease runs out reopens it (the key never
 * expired); none, and the loop is woken to demote when the lease's last valid moment passes.
 *
 * The HA loop tells the keeper what it learned (`confirmed` after its own acquire or refresh,
 * `release` before it releases the lock or demotes) and reads `view()`. Each holding period has
 * a generation; anything still running from an older one sees the change and stops.
 */
export class LeaseKeeper implements LeaseHooks {
  private generation = 0;
  private holding = false;
  private lastSentOk = -Infinity;
  /** The latest renewal of any kind sent (the loop's, stamped, or the keeper's own). */
  private lastSent = -Infinity;
  /** The keeper's own last send: its retries are at least RETRY_PAUSE_MS apart. */
  private ownLastSent = -Infinity;
  /** A failed renewal of the keeper's own is tried again at this moment. */
  private retryAt = Infinity;
  private fenced = false;
  /** The commit gate closed at the fence moment; the lease is still counted and renewed. */
  private gated = false;
  /** Closing and reopening the gate run one after the other, never interleaved. */
  private gateOps: Promise<void> = Promise.resolve();
  private outstanding = 0;
  private rearm: AbortController | null = null;
  private failsafeSaid = false;
  /** Ends the renew loop's sleep early (a failed renewal is retried sooner). */
  private nudge: AbortController | null = null;

  constructor(private readonly d: LeaseKeeperDeps) {}

  /**
   * The lock is mine as of a request sent at `sentAt` (monotonic ms): the loop's acquire,
   * refresh or bootstrap take. Starts the keeper if it was not running.
   */
  confirmed(sentAt: number): void {
    if (this.fenced) return;
    if (!this.holding) {
      this.holding = true;
      this.generation += 1;
      this.lastSentOk = sentAt;
      this.lastSent = Math.max(this.lastSent, sentAt);
      this.retryAt = Infinity;
      this.failsafeSaid = false;
      this.guard();
      void this.renewLoop(this.generation);
      void this.fenceLoop(this.generation);
      return;
    }
    this.extend(sentAt);
  }

  /**
   * The loop releases the lock or demotes: stop renewing at once. A gate closed by then stays
   * closed until PostgreSQL is no longer a primary (`settle`).
   */
  release(): void {
    if (!this.holding) return;
    if (this.gated) {
      this.gated = false;
      this.fenced = true;
    }
    // A fenced leader keeps its guardian until PostgreSQL is no longer a primary (settle).
    if (!this.fenced) this.d.guardian?.disarm();
    this.holding = false;
    this.generation += 1;
    this.rearm?.abort();
    this.nudge?.abort();
  }

  /**
   * Called by each cycle with what PostgreSQL is now: once a fenced primary is no longer one
   * (demoted, stopped), the fence has done its work and the next lock may be kept again.
   * Returns true when the fence was lifted (the caller reopens the gate).
   */
  settle(pgIsPrimary: boolean): boolean {
    if (!this.fenced || pgIsPrimary) return false;
    this.fenced = false;
    this.d.guardian?.disarm();
    return true;
  }

  /**
   * Monotonic ms on the keeper's clock, to stamp a take or refresh of the lock before it is
   * sent: the keeper counts it as a renewal sent, and waits a whole interval from it.
   */
  stamp(): number {
    const now = this.d.clock.now();
    this.lastSent = Math.max(this.lastSent, now);
    return now;
  }

  /** The HA loop must answer "lock lost" to its refresh and acquire while this is true. */
  get mustDemote(): boolean {
    return this.fenced;
  }

  view(): LeaseView {
    const remainingMs = this.holding
      ? Math.max(0, leaseValidUntil(this.lastSentOk, this.d.timing()) - this.d.clock.now())
      : null;
    return { holding: this.holding, remainingMs, gated: this.gated, fenced: this.fenced };
  }

  private extend(sentAt: number): void {
    if (sentAt <= this.lastSentOk) return;
    this.lastSentOk = sentAt;
    if (this.failsafeSaid) {
      this.d.logger.info('leader lease renewed again');
      this.failsafeSaid = false;
    }
    if (this.gated && fenceAt(sentAt, this.d.timing()) > this.d.clock.now()) this.lift();
    this.guard();
    this.rearm?.abort();
  }

  /**
   * Arms the guardian for the lease as now confirmed, on a leader with something to fence and
   * someone to hand over to; disarms it otherwise (paused, failsafe, a single node).
   */
  private guard(): void {
    const guardian = this.d.guardian;
    if (guardian === undefined) return;
    const wanted = this.d.policy() === 'gate' && (this.d.othersCanTakeOver?.() ?? true);
    if (!wanted) {
      guardian.disarm();
      return;
    }
    guardian.arm(guardAtMs(this.lastSentOk, this.d.timing()) - this.d.clock.now());
  }

  /**
   * A renewal sent after the gate closed was confirmed: renewals are conditional on the key
   * being this leader's and never re-create it, so the key never expired and nobody else could
   * have been promoted. The lease is good until a new fence moment still ahead: reopen the gate
   * and stay the leader, instead of demoting a primary that never lost its lock (a daemon
   * stopped for a few seconds, a slow store's answer).
   */
  private lift(): void {
    this.gated = false;
    this.d.logger.warning(
      'leader lease renewal confirmed after the commit gate closed, before the lease ran out: ' +
        'reopening the gate and staying the leader',
    );
    this.gateOps = this.gateOps.then(() =>
      this.d.openGate().catch((err: unknown) => {
        this.d.logger.error(`reopening the commit gate failed: ${errorMessage(err)}`);
      }),
    );
  }

  private live(gen: number): boolean {
    return this.generation === gen && this.holding;
  }

  /**
   * When the keeper's next renewal is due: one interval after the last renewal sent by anyone,
   * but no later than the last moment a renewal after the last CONFIRMED one is still useful
   * (a loop refresh sent since may have failed unseen), and sooner after a failure of its own;
   * never twice within RETRY_PAUSE_MS.
   */
  private dueAt(): number {
    const t = this.d.timing();
    // Gated: every confirmed renewal may reopen the gate, so one is sent as soon as allowed.
    if (this.gated) return Math.max(this.lastSent, this.ownLastSent) + RETRY_PAUSE_MS;
    const due = Math.min(
      this.lastSent + renewIntervalMs(t),
      this.lastSentOk + lastUsefulSendMs(t),
      this.retryAt,
    );
    return Math.max(due, this.ownLastSent + RETRY_PAUSE_MS);
  }

  /**
   * Sends a renewal when one is due, without waiting for the previous answer (a slow store must
   * not delay the next try); a failed or refused one is tried again after a short pause.
   */
  private async renewLoop(gen: number): Promise<void> {
    const { clock } = this.d;
    while (this.live(gen)) {
      const wait = this.dueAt() - clock.now();
      if (wait > 0 || this.outstanding >= MAX_OUTSTANDING) {
        // Woken early or on time, the loop looks again: only a due time sends.
        this.nudge = new AbortController();
        await clock.sleep(Math.max(wait, RETRY_PAUSE_MS), this.nudge.signal);
        continue;
      }
      this.ownLastSent = clock.now();
      this.lastSent = this.ownLastSent;
      this.retryAt = Infinity;
      void this.renewOnce(gen).then((ok) => {
        if (ok || !this.live(gen)) return;
        this.retryAt = clock.now() + RETRY_PAUSE_MS;
        this.nudge?.abort();
      });
    }
  }

  /** One renewal; true when confirmed. A refusal (the lock is not mine) fences at once. */
  private async renewOnce(gen: number): Promise<boolean> {
    const sentAt = this.d.clock.now();
    this.outstanding += 1;
    try {
      const mine = await this.withinBudget(this.d.renew());
      if (!this.live(gen)) return true;
      if (mine) {
        this.extend(sentAt);
        return true;
      }
      await this.fence(gen, 'the leader key is no longer mine');
      return false;
    } catch (err) {
      this.d.logger.debug(`leader lease renewal failed: ${errorMessage(err)}`);
      return false;
    } finally {
      this.outstanding -= 1;
    }
  }

  /**
   * A renewal unanswered after the DCS call budget (retry_timeout) counts as failed, so that a
   * store that swallows requests cannot use up the few renewals allowed to wait at once.
   */
  private async withinBudget(call: Promise<boolean>): Promise<boolean> {
    const timeout = new AbortController();
    const budget = this.d.timing().retryTimeout * 1000;
    const expired = this.d.clock.sleep(budget, timeout.signal).then(() => {
      if (!timeout.signal.aborted) throw new Error(`no answer within ${budget} ms`);
      return false;
    });
    try {
      return await Promise.race([call, expired]);
    } finally {
      timeout.abort();
    }
  }

  /**
   * Sleeps until the fence moment of the last confirmed renewal (the gate closes), then, still
   * unconfirmed, until the lease's last valid moment (the leader demotes); a newer confirmation
   * re-arms it. Both happen whatever the loop and the store are doing.
   */
  private async fenceLoop(gen: number): Promise<void> {
    const { clock } = this.d;
    while (this.live(gen)) {
      const t = this.d.timing();
      const at = this.gated ? leaseValidUntil(this.lastSentOk, t) : fenceAt(this.lastSentOk, t);
      const wait = at - clock.now();
      if (wait <= 0) {
        if (this.gated) {
          await this.fence(gen, 'the leader lease ran out with no renewal confirmed');
          return;
        }
        const closed = await this.closeGate();
        if (this.fenced || !this.live(gen)) return;
        if (closed) continue;
        // Failsafe mode (or nothing to fence) keeps the lease: look again at the next renewal or a short while on.
        this.rearm = new AbortController();
        await clock.sleep(renewIntervalMs(t), this.rearm.signal);
        continue;
      }
      this.rearm = new AbortController();
      await clock.sleep(wait, this.rearm.signal);
    }
  }

  /**
   * The fence moment passed with no renewal confirmed: commits stop being acknowledged at once,
   * and renewals go on; the lease decides between reopening (`lift`) and demoting (`fence`).
   */
  private async closeGate(): Promise<boolean> {
    const why = 'no renewal of the leader lease was confirmed in time';
    const policy = this.d.policy();
    if (policy === 'none') return false;
    if (policy === 'failsafe') {
      if (!this.failsafeSaid) {
        this.d.logger.warning(`${why}; failsafe mode decides whether to keep writes open`);
        this.failsafeSaid = true;
      }
      this.d.wakeLoop();
      return false;
    }
    this.gated = true;
    this.d.logger.warning(
      `${why}: closing the commit gate; demoting unless a renewal is confirmed before the lease runs out`,
    );
    this.nudge?.abort();
    await this.gateClosed();
    return true;
  }

  /** Queues the gate's closing behind any earlier gate operation and waits for it. */
  private gateClosed(): Promise<void> {
    this.gateOps = this.gateOps.then(() =>
      this.d.closeGate().catch((err: unknown) => {
        this.d.logger.error(`closing the commit gate failed: ${errorMessage(err)}`);
      }),
    );
    return this.gateOps;
  }

  /**
   * The lease ran out unconfirmed, or a renewal was refused (the key is not this leader's):
   * the gate closes (if it is not closed yet) and stays closed, and the loop is woken to demote.
   */
  private async fence(gen: number, why: string): Promise<void> {
    if (!this.live(gen) || this.fenced) return;
    const wasGated = this.gated;
    const policy = wasGated ? 'gate' : this.d.policy();
    if (policy === 'none') {
      // Nothing to fence (paused, not a primary), but a key that is not mine is no lease to
      // count or renew: GET /patroni, /metrics and the dashboard must not show one.
      this.release();
      return;
    }
    this.gated = false;
    this.fenced = true;
    this.release();
    this.d.logger.warning(
      wasGated
        ? `${why}: demoting (the commit gate stays closed)`
        : `${why}: closing the commit gate and demoting`,
    );
    if (!wasGated) await this.gateClosed();
    this.d.wakeLoop();
  }
}
