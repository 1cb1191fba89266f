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
  readonly loopWait: number;
  readonly retryTimeout: number;
}

/**
 * The keeper is a backstop, not a second renewer: it sends a renewal only when no renewal (the
 * HA loop's refresh of the lock or its own) was sent for this long, in ms:
 *
 *   interval = clamp(loop_wait + max(1 s, loop_wait/2),  ttl/4,  ttl - margin - retry_timeout)
 *
 * - `loop_wait + max(1 s, loop_wait/2)`: longer than a healthy loop's cycle (loop_wait plus the
 *   cycle's own work), so while the loop refreshes the lock every cycle the keeper sends
 *   nothing and the leader makes no more DCS requests than Patroni's (issue 19, make bench-dcs);
 * - `ttl - margin - retry_timeout` (upper bound): a renewal sent that late may still use the
 *   whole DCS budget and be confirmed before the gate's moment (`fenceAt`);
 * - `ttl/4` (lower bound): never a busier keeper than the first one (4 renewals per ttl).
 *   Under `loop_wait + 2*retry_timeout <= ttl` and ttl >= 2 the upper bound is never below it
 *   (ttl - max(1 s, ttl/6) - (ttl - 1)/2 >= ttl/4), so the clamp always has room.
 *
 * At Patroni's defaults (30/10/10): clamp(15, 7.5, 30 - 5 - 10) = 15 s, silent behind a loop
 * renewing every ~10 s. Profile `lease` (6/1/2): clamp(2, 1.5, 3) = 2 s. Profile `fast`
 * (4/1/1): clamp(2, 1, 2) = 2 s. A loop_wait near the ttl (30/26/2: clamp(39, 7.5, 23) = 23 s)
 * makes the keeper renew between two cycles: the price of never resting on one late cycle.
 */
export function renewIntervalMs(t: LeaseTiming): number {
  const wanted = t.loopWait * 1000 + Math.max(1000, (t.loopWait * 1000) / 2);
  const latest = t.ttl * 1000 - fenceMarginMs(t) - t.retryTimeout * 1000;
  return Math.max((t.ttl * 1000) / 4, Math.min(wanted, latest));
}

/**
 * The latest a renewal may be sent after the last CONFIRMED one and still use the whole
 * retry_timeout before the gate's moment, in ms: the keeper sends by then even when a renewal
 * it did not see fail (the loop's) was sent since.
 */
export function lastUsefulSendMs(t: LeaseTiming): number {
  return Math.max(renewIntervalMs(t), t.ttl * 1000 - fenceMarginMs(t) - t.retryTimeout * 1000);
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
 * How slow the store may answer without the leader fencing itself (ms): the keeper's renewal,
 * sent one interval after the last confirmed one, must come back before the fence moment.
 * At least retry_timeout whenever the configuration's rule holds (see renewIntervalMs).
 */
export function toleratedLatencyMs(t: LeaseTiming): number {
  return t.ttl * 1000 - fenceMarginMs(t) - renewIntervalMs(t);
}

/**
 * The bound of the keeper: its renewal may use the whole DCS call budget (retry_timeout) and
 * still be confirmed before the gate closes. Patroni's rule `loop_wait + 2 * retry_timeout <=
 * ttl` implies it for every ttl >= 2, which is why it is the rule the configuration enforces.
 */
export function keeperBoundHolds(t: LeaseTiming): boolean {
  return t.retryTimeout * 1000 <= toleratedLatencyMs(t);
}
