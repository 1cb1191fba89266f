/**
 * The leader lock's lease as etcd sees it: the harness's way to kill a leader at the same point
 * of its renewal cycle whichever system runs it. Where the kill lands in that cycle decides how
 * much of the ttl is left, and so most of the failover gap.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { rawEtcd } from '../../test/support/etcd-raw.js';

export interface Renewal {
  /** performance.now() when the renewal was seen (within one poll of it). */
  readonly at: number;
  /** The lease's TTL right after the renewal (seconds). */
  readonly ttl: number;
}

/**
 * Waits for the leader's next lease renewal: the lease's time to live going up. Polls every
 * 50 ms, so the renewal is known to that precision. etcd reports whole seconds (rounded down),
 * so a leader that renews at least once a second (loop_wait 1) never shows the TTL going up:
 * when the reading has not moved for 1.5 s, the lease is known to have had between that reading
 * and one second more left all along, and that is returned as a renewal half a second ago.
 */
export async function nextLeaderRenewal(
  endpoint: string,
  scope: string,
  timeoutMs: number,
): Promise<Renewal> {
  const etcd = rawEtcd(endpoint);
  const deadline = performance.now() + timeoutMs;
  const key = `/service/${scope}/leader`;
  const lease = (await etcd.range(key)).find((kv) => kv.key === key)?.lease ?? '0';
  if (lease === '0') throw new Error('no leader key to follow');
  let last = await etcd.leaseTimeToLive(lease);
  let lastChange = performance.now();
  while (performance.now() < deadline) {
    await sleep(50);
    const now = await etcd.leaseTimeToLive(lease);
    if (now > last) return { at: performance.now(), ttl: now };
    if (now !== last) lastChange = performance.now();
    else if (performance.now() - lastChange > 1500 && now > 0) {
      return { at: performance.now() - 500, ttl: now + 0.5 };
    }
    last = now;
  }
  throw new Error(`the leader's lease was not renewed within ${timeoutMs} ms`);
}

/**
 * Polls the leader key every 20 ms until `holder` no longer holds it (deleted when its lease
 * expired, or taken): the moment the failover can start, seen from outside both systems.
 * Resolves with performance.now() of the first poll that saw it gone, or null once `signal`
 * is aborted.
 */
export async function leaderKeyGone(
  endpoint: string,
  scope: string,
  holder: string,
  signal: AbortSignal,
): Promise<number | null> {
  const etcd = rawEtcd(endpoint);
  const key = `/service/${scope}/leader`;
  while (!signal.aborted) {
    const value = await etcd.get(key).catch(() => holder);
    if (value !== holder) return performance.now();
    await sleep(20);
  }
  return null;
}
