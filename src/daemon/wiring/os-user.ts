import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { OsIdentity } from '../../core/pg/options.js';
import { PatroniError } from '../../shared/errors.js';

/** `getent passwd` by name or uid: the account's ids and home (where ~/pgpass lives). */
function lookupUser(key: string): OsIdentity | null {
  try {
    const line = execFileSync('getent', ['passwd', key], { encoding: 'utf8' }).trim();
    const [name, , uid, gid, , home] = line.split(':');
    if (uid === undefined || gid === undefined) return null;
    return { uid: Number(uid), gid: Number(gid), name, home };
  } catch {
    return null;
  }
}

/**
 * Who runs PostgreSQL programs. As root we must drop privileges (PostgreSQL refuses root): to the
 * owner of the data directory (or of its parent, before initdb) when that is not root, else to
 * the `postgres` user. As anyone else: ourselves (null).
 */
export function resolvePgOwner(dataDir: string): OsIdentity | null {
  if (process.getuid?.() !== 0) return null;
  for (const path of [dataDir, dirname(dataDir)]) {
    try {
      const st = statSync(path);
      if (st.uid !== 0) return lookupUser(String(st.uid)) ?? { uid: st.uid, gid: st.gid };
    } catch {
      // not there yet
    }
  }
  const pgUser = lookupUser('postgres');
  if (pgUser === null) {
    throw new PatroniError(
      'CONFIG_INVALID',
      'running as root: PostgreSQL must run as an unprivileged user, and there is no `postgres` user; ' +
        'create one or run patroni as the owner of postgresql.data_dir',
    );
  }
  return pgUser;
}
