import { canTransition, publishedState } from '../core/pg/lifecycle.js';
import type { PgLifecycleState } from '../core/pg/lifecycle.js';
import type { PgStateName } from '../core/model/member.js';
import type { Logger } from '../shared/log/logger.js';

/**
 * The guarded PostgreSQL lifecycle: only transitions listed in core/pg/lifecycle.ts happen, each
 * logged "from -> to"; an illegal one is refused and logged as an error (a bug to fix, not a
 * state to enter).
 */
export class PgLifecycle {
  private current: PgLifecycleState;
  private restartFailedFrom = 'unknown';

  constructor(
    private readonly logger: Logger,
    initial: PgLifecycleState = 'stopped',
  ) {
    this.current = initial;
  }

  get state(): PgLifecycleState {
    return this.current;
  }

  /** The name to publish (member key, REST). */
  get published(): PgStateName {
    return publishedState(this.current, this.restartFailedFrom);
  }

  transition(to: PgLifecycleState): boolean {
    const from = this.current;
    if (from === to) return true;
    if (!canTransition(from, to)) {
      this.logger.error(`refusing PostgreSQL state transition ${from} -> ${to}`);
      return false;
    }
    if (to === 'restart failed') this.restartFailedFrom = from;
    this.current = to;
    this.logger.debug(`postgres state ${from} -> ${to}`);
    return true;
  }

  /**
   * `restart failed (<state>)` records the state the failed restart ended in; reachable from any
   * state a restart passes through, so it bypasses the table.
   */
  restartFailed(endedIn: PgLifecycleState): void {
    const from = this.current;
    this.restartFailedFrom = endedIn;
    this.current = 'restart failed';
    this.logger.debug(`postgres state ${from} -> restart failed (${endedIn})`);
  }

  is(...states: PgLifecycleState[]): boolean {
    return states.includes(this.current);
  }
}
