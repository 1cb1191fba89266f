/**
 * The standbys a `/sync` key names (Patroni 3.0.2: `{"leader": ..., "sync_standby": "a,b"}`), in
 * order; none for a missing key, an empty one, or a value that is not that JSON.
 */
export function syncStandbysOf(raw: string | null): string[] {
  if (raw === null) return [];
  try {
    const value = JSON.parse(raw) as { sync_standby?: unknown };
    const names = value.sync_standby;
    if (typeof names !== 'string') return [];
    return names
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n !== '');
  } catch {
    return [];
  }
}
