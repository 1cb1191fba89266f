/**
 * `archive_command` with its placeholders filled for one WAL file, as PostgreSQL does: `%p` the
 * path relative to the data directory, `%f` the file name, `%%` a literal percent.
 */
export function archiveCommandFor(template: string, walFile: string): string {
  return template.replace(/%[pf%]/g, (m) =>
    m === '%p' ? `pg_wal/${walFile}` : m === '%f' ? walFile : '%',
  );
}

/** WAL segments (and history/backup files) still waiting in archive_status. */
export function readyWalFiles(statusFiles: readonly string[]): string[] {
  return statusFiles
    .filter((f) => f.endsWith('.ready'))
    .map((f) => f.slice(0, -'.ready'.length))
    .sort();
}

/** Archiving is configured: on/always with a command that is not a no-op. */
export function archivingEnabled(mode: string, command: string): boolean {
  return ['on', 'always'].includes(mode.trim()) && !['', '(disabled)'].includes(command.trim());
}
