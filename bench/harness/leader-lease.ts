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
 * 50 ms, so the renewal is known to that precision.
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
  while (performance.now() < deadline) {
    await sleep(50);
    const now = await etcd.leaseTimeToLive(lease);
    if (now > last) return { at: performance.now(), ttl: now };
    last = now;
  }
  throw new Error(`the leader's lease was not renewed within ${timeoutMs} ms`);
}
