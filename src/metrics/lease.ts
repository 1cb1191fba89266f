/**
 * Seconds left on this node's leader lease, or null when it does not hold the lock. The lease
 * keeper (src/daemon/lease/keeper.ts) is the one source of lease time: it counts from when its
 * last confirmed renewal was SENT, so this gauge, GET /patroni's `lease_remaining` and the
 * dashboard's countdown all show the same figure, never more lease than the leader has.
 */
export function leaseRemainingSeconds(remainingMs: number | null): number | null {
  return remainingMs !== null && remainingMs > 0 ? remainingMs / 1000 : null;
}
