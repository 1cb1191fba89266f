import { randomBytes } from 'node:crypto';
import { chown, mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import type { OsIdentity } from '../core/pg/options.js';
import { PatroniError } from '../shared/errors.js';

export interface WriteOptions {
  /** Default 0600: most files we write hold secrets or are read by PostgreSQL only. */
  readonly mode?: number;
  /** Give the file to this account (PostgreSQL refuses to read files it cannot). */
  readonly owner?: OsIdentity | null | undefined;
}

/**
 * Write, fsync, rename: a reader (PostgreSQL, a crash-restarted daemon) sees the old content or
 * the new one, never half a file. The directory is fsynced too so the rename survives a crash.
 */
export async function writeFileAtomic(
  path: string,
  content: string,
  options: WriteOptions = {},
): Promise<void> {
  const mode = options.mode ?? 0o600;
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fh = await open(tmp, 'w', mode);
    try {
      await fh.writeFile(content, 'utf8');
      await fh.chmod(mode);
      if (options.owner !== undefined && options.owner !== null) {
        await fh.chown(options.owner.uid, options.owner.gid);
      }
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
    await fsyncDir(dirname(path));
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw new PatroniError('PG_DATA_DIR', `can not write ${path}: ${(err as Error).message}`, {
      cause: err,
      recoverable: true,
      details: { path },
    });
  }
}

async function fsyncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Some filesystems refuse a directory fsync; the rename itself already happened.
  }
}

export async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Patroni's `data_directory_is_empty`: missing, or holding only dot files and lost+found (a fresh
 * mount point is "empty").
 */
export async function isDirectoryEmpty(dir: string): Promise<boolean> {
  try {
    const names = await readdir(dir);
    return names.every((n) => n.startsWith('.') || n === 'lost+found');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw new PatroniError(
      'PG_DATA_DIR',
      `can not read data directory ${dir}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}

/** Creates the directory (mode 0700, as PostgreSQL demands) owned by `owner`. */
export async function ensureDirectory(
  dir: string,
  owner: OsIdentity | null | undefined,
): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (owner !== null && owner !== undefined) await chown(dir, owner.uid, owner.gid);
}

/** Empties a directory but keeps it (a mount point may not be removable). */
export async function emptyDirectory(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  for (const name of names) await rm(join(dir, name), { recursive: true, force: true });
}
