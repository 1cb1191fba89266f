import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresOwner } from './os-user.js';

/**
 * A fresh temp dir for one test. When the tests run as root it is handed to the unprivileged
 * PostgreSQL user, because postgres (and our daemon under test) run as that user.
 */
export async function makeTempDir(prefix = 'patroni-ts-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const owner = postgresOwner();
  if (owner !== null) await chown(dir, owner.uid, owner.gid);
  return dir;
}

export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
