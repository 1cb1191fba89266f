import { lstat, readlink, rename, rm, unlink } from 'node:fs/promises';
import { resolve, dirname } from 'node:path';
import { PatroniError } from '../shared/errors.js';
import type { PgContext } from './context.js';
import { ensureDirectory, pathExists } from './files.js';
import { livePostmaster } from './postmaster-pid.js';

/**
 * Wipes the data directory (before a re-clone, after a failed rewind). A symlinked pg_wal goes
 * with it. The directory itself is recreated empty, owned by the PostgreSQL account, so the
 * clone that follows can write there even when its parent belongs to root. Refuses while a
 * postmaster runs on it.
 */
export async function removeDataDirectory(ctx: PgContext): Promise<void> {
  const dir = ctx.paths.dataDir;
  const pm = await livePostmaster(dir);
  if (pm !== null) {
    throw new PatroniError(
      'PG_DATA_DIR',
      `can not remove ${dir}: postmaster (pid ${pm.pid}) is running`,
    );
  }
  ctx.logger.info(`Removing data directory: ${dir}`);
  await removeWalTarget(dir);
  const st = await lstat(dir).catch(() => null);
  if (st?.isSymbolicLink() === true) await unlink(dir);
  else await rm(dir, { recursive: true, force: true });
  await ensureDirectory(dir, ctx.options.owner);
  await ctx.conn.close();
}

async function removeWalTarget(dataDir: string): Promise<void> {
  const wal = resolve(dataDir, 'pg_wal');
  const st = await lstat(wal).catch(() => null);
  if (st?.isSymbolicLink() !== true) return;
  const target = resolve(dirname(wal), await readlink(wal));
  await rm(target, { recursive: true, force: true });
}

/**
 * After a failed bootstrap: `<data_dir>` becomes `<data_dir>.failed` (an old one is removed
 * first), kept for the operator to inspect.
 */
export async function moveDataDirectoryAside(ctx: PgContext): Promise<string> {
  const dir = ctx.paths.dataDir;
  const failed = `${dir}.failed`;
  ctx.logger.info(`renaming data directory to ${failed}`);
  if (await pathExists(failed)) await rm(failed, { recursive: true, force: true });
  await rename(dir, failed);
  return failed;
}
