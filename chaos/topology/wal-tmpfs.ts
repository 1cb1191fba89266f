/**
 * A small tmpfs per node for its WAL, so that "the disk under pg_wal is full" can be made true
 * on command (fill it with a file) and false again (remove the file), without touching a real
 * disk. Mounted before the daemon starts; initdb and pg_basebackup put pg_wal there (`--waldir`).
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdir, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { postgresOwner } from '../../test/support/os-user.js';

const run = promisify(execFile);

const mounted = new Set<string>();
process.on('exit', () => {
  for (const dir of mounted) {
    try {
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
});

export async function mountWalTmpfs(dir: string, sizeMb: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  const owner = postgresOwner();
  const ids = owner === null ? '' : `,uid=${owner.uid},gid=${owner.gid}`;
  await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0700${ids}`, 'tmpfs', dir]);
  mounted.add(dir);
}

export async function unmountWalTmpfs(dir: string): Promise<void> {
  if (!mounted.has(dir)) return;
  // Lazy: a PostgreSQL that is still stopping may hold a segment open for a moment.
  await run('umount', ['-l', dir]).catch(() => undefined);
  mounted.delete(dir);
}

/** The file that fills the tmpfs: the same name for fill and empty. */
const FILLER = '.chaos-filler';

/** Fills every free byte of the tmpfs with one file (PostgreSQL then gets ENOSPC). */
export async function fillWalTmpfs(dir: string): Promise<number> {
  const s = await statfs(dir);
  const free = s.bavail * s.bsize;
  if (free <= 0) return 0;
  await run('fallocate', ['-l', String(free), join(dir, FILLER)]).catch(async () => {
    // fallocate may fail by a few blocks when PostgreSQL wrote meanwhile: take what is left.
    const again = await statfs(dir);
    await run('fallocate', ['-l', String(again.bavail * again.bsize), join(dir, FILLER)]);
  });
  return free;
}

export async function emptyWalTmpfs(dir: string): Promise<void> {
  await rm(join(dir, FILLER), { force: true });
}
