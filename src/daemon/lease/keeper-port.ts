import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/log/logger.js';
import type { LeaseTiming } from '../../core/config/lease-timing.js';
import type { GuardianPort } from './guardian.js';

/** The lease keeper's contract with the daemon that wires it and the HA loop that reads it. */

/**
 * What the leader does when its lease can no longer be trusted: `gate` closes the commit gate
 * (a running primary, not paused, failsafe off); `failsafe` leaves an expiring lease to failsafe
 * mode, which keeps writes open while every member answers; `none`: nothing to fence (paused,
 * or PostgreSQL is not a running primary).
 */
export type FencePolicy = 'gate' | 'failsafe' | 'none';

export interface LeaseKeeperDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  /** `Dcs.renewLeaderLease`: conditional on the lock being mine; never re-creates it. */
  readonly renew: () => Promise<boolean>;
  readonly timing: () => LeaseTiming;
  readonly policy: () => FencePolicy;
  /** Stops new commits from being acknowledged at once (see gate.ts). */
  readonly closeGate: () => Promise<void>;
  /** Lets commits through again: a renewal proved the lease never ran out. */
  readonly openGate: () => Promise<void>;
  /** Runs the HA loop now: it reads `mustDemote` and demotes. */
  readonly wakeLoop: () => void;
  /** Stops PostgreSQL if this daemon dies or hangs past the lease (guardian.ts); absent: none. */
  readonly guardian?: GuardianPort;
  /** Another member could be promoted: the only case where a guardian is worth its stop. */
  readonly othersCanTakeOver?: () => boolean;
}

/** What GET /patroni and the HA loop read. */
export interface LeaseView {
  readonly holding: boolean;
  /** Monotonic ms until the lease's last valid moment (null: not holding). */
  readonly remainingMs: number | null;
  /**
   * The gate is closed but the lease may still be valid: a renewal confirmed before the lease's
   * last valid moment reopens it; none, and the keeper fences.
   */
  readonly gated: boolean;
  /** The lease ran out or was lost: the loop must treat the lock as lost until PostgreSQL is demoted. */
  readonly fenced: boolean;
}

/** What the HA loop's shell (queries, executor, shutdown) tells the keeper and reads from it. */
export interface LeaseHooks {
  readonly mustDemote: boolean;
  /** A take or refresh of the lock is being sent now: returns its monotonic send time. */
  stamp(): number;
  confirmed(sentAt: number): void;
  release(): void;
}
