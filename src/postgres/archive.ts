import { readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { archiveCommandFor, archivingEnabled, readyWalFiles } from '../core/pg/archive.js';
import { describeExit } from '../process/runner.js';
import { programEnv, programSpec, scriptSpec } from './context.js';
import type { PgContext } from './context.js';

/** One setting as the stopped server would see it (`postgres -C <name>`). */
async function serverSetting(ctx: PgContext, name: string): Promise<string> {
  const r = await ctx.runner.run({
    ...programSpec(ctx, ctx.bins.path('postgres'), [
      '-D',
      ctx.paths.dataDir,
      `--config-file=${ctx.paths.conf}`,
      '-C',
      name,
    ]),
    logLevel: 'none',
    timeoutMs: 30_000,
  });
  return r.exitCode === 0 ? r.stdout.trim() : '';
}

/**
 * Before pg_rewind or single-user crash recovery (spec/core.md §11.5 step 2): archive the WAL
 * segments still marked `.ready`, so nothing the archive is owed gets rewound away. Runs
 * archive_command through the shell from the daemon's directory with `%p` absolute, as Patroni
 * runs it (PostgreSQL would run it from the data directory); stops at the first
 * failure. Returns how many were archived.
 */
export async function archiveReadyWals(ctx: PgContext): Promise<number> {
  const statusDir = join(ctx.paths.walDir, 'archive_status');
  const ready = readyWalFiles(await readdir(statusDir).catch(() => []));
  if (ready.length === 0) return 0;
  const mode = await serverSetting(ctx, 'archive_mode');
  const command = await serverSetting(ctx, 'archive_command');
  if (!archivingEnabled(mode, command)) return 0;
  let archived = 0;
  for (const wal of ready) {
    const r = await ctx.runner.run({
      ...scriptSpec(ctx, '/bin/sh', ['-c', archiveCommandFor(command, wal, ctx.paths.walDir)]),
      env: programEnv(ctx),
      timeoutMs: 300_000,
    });
    if (r.exitCode !== 0) {
      ctx.logger.error(`Failed to archive WAL file ${wal}: archive_command ${describeExit(r)}`);
      break;
    }
    await rename(join(statusDir, `${wal}.ready`), join(statusDir, `${wal}.done`));
    ctx.logger.info(`Archived WAL file ${wal}`);
    archived++;
  }
  return archived;
}
