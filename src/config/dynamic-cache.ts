/**
 * `<data_dir>/patroni.dynamic.json` (spec/core.md §1.4): the last dynamic configuration seen, so a
 * node that finds an empty DCS can recreate `/config`. Written atomically (temp file + rename) with
 * the data directory's owner-only mode, because it can hold parameters operators consider private.
 */
import { chown, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isRecord } from '../core/config/values.js';
import { PatroniError, errorMessage } from '../shared/errors.js';

export const DYNAMIC_CACHE_FILE = 'patroni.dynamic.json';

export interface CacheOwner {
  readonly uid: number;
  readonly gid: number;
}

/** Writes the cache; `owner` hands the file to the PostgreSQL account when we run as root. */
export async function saveDynamicCache(
  dataDir: string,
  config: Readonly<Record<string, unknown>>,
  owner: CacheOwner | null = null,
): Promise<void> {
  const path = join(dataDir, DYNAMIC_CACHE_FILE);
  const tmp = `${path}.tmp-${process.pid}`;
  const mode = await stat(dataDir).then(
    (s) => s.mode & 0o640,
    () => 0o600,
  );
  try {
    const file = await open(tmp, 'w', mode === 0 ? 0o600 : mode);
    try {
      await file.writeFile(JSON.stringify(config), 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    if (owner !== null) await chown(tmp, owner.uid, owner.gid);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new PatroniError('PG_DATA_DIR', `cannot write ${path}: ${errorMessage(e)}`, {
      cause: e,
      recoverable: true,
    });
  }
}

/** The cached dynamic configuration, or null when there is none or it is unreadable. */
export async function loadDynamicCache(
  dataDir: string,
): Promise<Readonly<Record<string, unknown>> | null> {
  let text: string;
  try {
    text = await readFile(join(dataDir, DYNAMIC_CACHE_FILE), 'utf8');
  } catch {
    return null;
  }
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : null;
  } catch {
    return null;
  }
}
