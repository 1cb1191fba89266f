/** `pg_controldata` output as a map of its labels (`Database cluster state` → `in production`). */
export function parseControlData(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

/** States in which PostgreSQL was not shut down cleanly (spec/core.md §11.6). */
export function controlDataSaysCrashed(state: string | undefined, rewindPending: boolean): boolean {
  if (state === undefined) return false;
  if (['in production', 'shutting down', 'in crash recovery'].includes(state)) return true;
  return rewindPending && state === 'in archive recovery';
}

/** Whether pg_rewind can work on this cluster: wal_log_hints on or data checksums. */
export function controlDataAllowsRewind(cd: Readonly<Record<string, string>>): boolean {
  const checksums = cd['Data page checksum version'];
  return cd['wal_log_hints setting'] === 'on' || (checksums !== undefined && checksums !== '0');
}
