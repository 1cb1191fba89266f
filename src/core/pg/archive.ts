/**
 * `archive_command` with its placeholders filled for one WAL file, as Patroni fills them when it
 * archives before a rewind: `%p` the file's path in `walDir`, `%f` the file name, `%%` a percent.
 */
export function archiveCommandFor(template: string, walFile: string, walDir: string): string {
  return template.replace(/%[pf%]/g, (m) =>
    m === '%p' ? `${walDir}/${walFile}` : m === '%f' ? walFile : '%',
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
