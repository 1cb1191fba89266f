import { execFileSync } from 'node:child_process';

export interface OsUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

let cached: OsUser | null | undefined;

/**
 * The user PostgreSQL runs as in tests: `postgres` when we are root (PostgreSQL refuses root),
 * otherwise null (run as ourselves).
 */
export function postgresOwner(): OsUser | null {
  if (cached !== undefined) return cached;
  if (process.getuid?.() !== 0) return (cached = null);
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return (cached = { name: 'postgres', uid, gid });
}
