/**
 * Synchronous mode in the bench: a kill -9 proves nothing about acknowledged commits until the
 * leader really has a synchronous standby, so the scenarios wait for one first.
 */
import type { TestCluster, TestNode } from '../../test/support/cluster.js';
import { waitFor } from '../../test/support/postgres.js';

/**
 * The standbys the `sync` key names for `leader` (Patroni's JSON: `{"leader": L,
 * "sync_standby": "a,b" | null}`); empty while the key is missing, unreadable, written by
 * another leader or names nobody.
 */
export function syncStandbysOf(value: string | null, leader: string): string[] {
  if (value === null) return [];
  let doc: unknown;
  try {
    doc = JSON.parse(value);
  } catch {
    return [];
  }
  if (typeof doc !== 'object' || doc === null) return [];
  const { leader: holder, sync_standby: standby } = doc as Record<string, unknown>;
  if (holder !== leader || typeof standby !== 'string') return [];
  return standby
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * Waits until the `sync` key names a synchronous standby of `leader` and the leader's
 * pg_stat_replication shows that standby streaming with sync_state `sync`: both systems write
 * the key only once PostgreSQL acknowledges commits through that standby. Returns its name.
 */
export function waitSyncStandby(
  cluster: TestCluster,
  leader: TestNode,
  timeoutMs: number,
): Promise<string> {
  return waitFor(
    `a synchronous standby of ${leader.name}`,
    async () => {
      const named = syncStandbysOf(await cluster.dcsValue('sync'), leader.name);
      if (named.length === 0) return undefined;
      const rows = await leader
        .sql<{ application_name: string }>(
          "SELECT application_name FROM pg_stat_replication WHERE state = 'streaming' AND sync_state = 'sync'",
        )
        .catch(() => []);
      const sync = new Set(rows.map((r) => r.application_name));
      return named.find((n) => sync.has(n));
    },
    timeoutMs,
    100,
  );
}
