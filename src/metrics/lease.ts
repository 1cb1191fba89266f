/**
 * Seconds left on this node's leader lease, or null when it does not hold the lock. Fed today
 * from the HA memory's `leaderUntil` (set to now+ttl by each successful acquire or refresh of
 * the leader key, so this is ttl minus the time since the last successful update); a lease
 * keeper that knows its lease better can be read here instead, in this one function.
 */
export function leaseRemainingSeconds(
  memory: { readonly leaderUntil: number },
  now: number,
): number | null {
  const left = memory.leaderUntil - now;
  return left > 0 ? left / 1000 : null;
}
