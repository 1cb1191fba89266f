import { stat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseControlData } from '../core/pg/controldata.js';
import { describeExit } from '../process/runner.js';
import { PatroniError } from '../shared/errors.js';
import { programEnv, programSpec } from './context.js';
import type { PgContext } from './context.js';

interface Cached {
  readonly mtimeMs: number;
  readonly data: Readonly<Record<string, string>>;
}

const cache = new WeakMap<PgContext, Cached>();

/**
 * `pg_controldata` as a map, with LANG=C so the labels are the English ones we parse. Cached
 * on the mtime of global/pg_control: the HA loop asks every cycle while PostgreSQL is stopped.
 */
export async function controlData(ctx: PgContext): Promise<Readonly<Record<string, string>>> {
  const file = join(ctx.paths.dataDir, 'global', 'pg_control');
  const st = await stat(file).catch(() => null);
  if (st === null) {
    throw new PatroniError('PG_DATA_DIR', `${file} is missing: not a PostgreSQL data directory`);
  }
  const hit = cache.get(ctx);
  if (hit !== undefined && hit.mtimeMs === st.mtimeMs) return hit.data;
  const result = await ctx.runner.run({
    ...programSpec(ctx, ctx.bins.path('pg_controldata'), [ctx.paths.dataDir], { logLevel: 'none' }),
    env: programEnv(ctx, { LANG: 'C', LC_ALL: 'C', PGDATA: ctx.paths.dataDir }),
    timeoutMs: 30_000,
  });
  if (result.exitCode !== 0) {
    throw new PatroniError(
      'PROCESS_FAILED',
      `pg_controldata ${describeExit(result)}: ${result.stderr.trim()}`,
      {
        recoverable: true,
      },
    );
  }
  const data = parseControlData(result.stdout);
  cache.set(ctx, { mtimeMs: st.mtimeMs, data });
  return data;
}

/** Major version from PG_VERSION as server_version_num (e.g. `15` → 150000). */
export async function versionFromFile(ctx: PgContext): Promise<number | null> {
  const text = await readFile(ctx.paths.pgVersion, 'utf8').catch(() => null);
  if (text === null) return null;
  const [major, minor] = text.trim().split('.').map(Number);
  if (major === undefined || !Number.isInteger(major)) return null;
  return major >= 10 ? major * 10000 : major * 10000 + (minor ?? 0) * 100;
}
