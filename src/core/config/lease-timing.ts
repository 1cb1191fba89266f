/**
 * The arithmetic of the leader lease (README "Fast failover"), apart from any timer so that the
 * docs, `--validate-config` and the keeper agree on one set of numbers.
 *
 * A renewal confirmed by the store keeps the lock at least `ttl` from the moment its request was
 * SENT (the store starts the TTL when it receives it, never earlier), so that moment, not the
 * answer's, is what the lease is counted from: a slow answer or a late callback can never make
 * the leader believe in more lease than it has.
 */

/** Seconds, as in the dynamic configuration. */
export interface LeaseTiming {
  readonly ttl: number;
  readonly retryTimeout: number;
}

/** Renewals per ttl: four, so three may be lost or slow before the fence must close. */
const RENEWALS_PER_TTL = 4;

/** How often the keeper sends a renewal, in ms. */
export function renewIntervalMs(t: LeaseTiming): number {
  return (t.ttl * 1000) / RENEWALS_PER_TTL;
}

/**
 * How long before the lease's last valid moment the commit gate is closed, in ms: one second
 * (a config write and a SIGHUP on a loaded host, plus timer lag) or a sixth of the ttl when
 * that is longer, so a long lease also has a long margin against a stalled event loop.
 */
export function fenceMarginMs(t: LeaseTiming): number {
  return Math.max(1000, (t.ttl * 1000) / 6);
}

/** The last moment (monotonic ms) the lease renewed by a request sent at `sentAt` is valid. */
export function leaseValidUntil(sentAt: number, t: LeaseTiming): number {
  return sentAt + t.ttl * 1000;
}

/** When the gate closes if nothing renews the lease sent at `sentAt`. */
export function fenceAt(sentAt: number, t: LeaseTiming): number {
  return leaseValidUntil(sentAt, t) - fenceMarginMs(t);
}

/**
 * How slow the store may answer without the leader fencing itself (ms): a renewal sent just
 * before the fence moment's last renewal tick must come back before the fence moment.
 */
export function toleratedLatencyMs(t: LeaseTiming): number {
  return t.ttl * 1000 - fenceMarginMs(t) - renewIntervalMs(t);
}

/**
 * The bound of the keeper: one renewal may use the whole DCS call budget (retry_timeout) and
 * still be confirmed before the gate closes. Patroni's rule `loop_wait + 2 * retry_timeout <=
 * ttl` implies it for every ttl >= 2, which is why it is the rule the configuration enforces.
 */
export function keeperBoundHolds(t: LeaseTiming): boolean {
  return t.retryTimeout * 1000 <= toleratedLatencyMs(t);
}
