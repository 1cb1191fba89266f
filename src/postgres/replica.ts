import { rmdir } from 'node:fs/promises';
import { memberConnKwargs } from '../core/pg/conn-kwargs.js';
import { formatConninfo } from '../core/pg/conninfo.js';
import {
  basebackupArgs,
  canRunWithoutLeader,
  customReplicaArgs,
  truthy,
} from '../core/pg/program-args.js';
import type { PgpassEntry } from '../core/pg/pgpass.js';
import type { FollowTarget } from '../core/pg/recovery.js';
import { describeExit } from '../process/runner.js';
import { errorMessage } from '../shared/errors.js';
import { programEnv, programSpec, scriptSpec } from './context.js';
import type { PgContext } from './context.js';
import { ensureDirectory, isDirectoryEmpty } from './files.js';
import { removeDataDirectory } from './data-dir.js';

export type CloneResult = { readonly ok: true; readonly method: string } | { readonly ok: false };

const BASEBACKUP_ATTEMPTS = 2;
const BASEBACKUP_RETRY_MS = 5_000;

interface CloneSource {
  /** libpq dsn without the password ('' when cloning without a leader). */
  readonly connstring: string;
  readonly pgpass: PgpassEntry | null;
}

/**
 * Patroni's clone dsn: the source's address and database with every setting of
 * `authentication.replication` (sslmode, sslcert, ...), its password moved to the passfile.
 */
function cloneSource(ctx: PgContext, source: FollowTarget | null): CloneSource {
  const repl = ctx.options.authentication.replication;
  const kw =
    source === null || source.connUrl === null ? null : memberConnKwargs(source.connUrl, repl);
  if (kw === null) return { connstring: '', pgpass: null };
  kw['dbname'] ??= ctx.options.database ?? 'postgres';
  const connstring = formatConninfo(kw, true);
  const host = kw['host'] ?? '';
  const port = kw['port'] ?? '5432';
  const pgpass =
    repl.password === undefined
      ? null
      : { host, port, user: repl.username, password: repl.password };
  return { connstring, pgpass };
}

/**
 * `create_replica_methods` in order until one succeeds (spec/core.md §10.4), with `source` the
 * member to copy from (null: only methods marked `no_leader` may run). State `creating replica`,
 * then `stopped`; on success the saved config files are restored.
 */
export async function createReplica(
  ctx: PgContext,
  source: FollowTarget | null,
  signal?: AbortSignal,
  methodsOverride?: readonly string[],
): Promise<CloneResult> {
  const src = cloneSource(ctx, source);
  // A standby cluster's remote source uses standby_cluster.create_replica_methods.
  const configured = methodsOverride ?? ctx.options.createReplicaMethods ?? [];
  let methods = configured.length === 0 ? ['basebackup'] : [...configured];
  if (src.connstring === '') {
    methods = methods.filter((m) => canRunWithoutLeader(m, ctx.options.replicaMethods?.[m]));
  }
  ctx.lifecycle.transition('creating replica');
  try {
    const passfile = src.pgpass === null ? null : await ctx.files.writePgpass([src.pgpass]);
    for (const method of methods) {
      if (signal?.aborted === true) break;
      const ok =
        method === 'basebackup'
          ? await basebackup(ctx, src.connstring, passfile, signal)
          : await customMethod(ctx, method, src.connstring, passfile, signal);
      if (ok) {
        ctx.logger.info(`replica has been created using ${method}`);
        await ctx.files.restoreBackups();
        return { ok: true, method };
      }
    }
    return { ok: false };
  } finally {
    ctx.lifecycle.transition('stopped');
  }
}

async function basebackup(
  ctx: PgContext,
  connstring: string,
  passfile: string | null,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  const opts = basebackupArgs(ctx.options.basebackup);
  if (!opts.ok) return false;
  for (const skipped of opts.skipped) {
    ctx.logger.error(`basebackup option --${skipped} is not allowed by Patroni and is ignored`);
  }
  for (let attempt = 1; attempt <= BASEBACKUP_ATTEMPTS; attempt++) {
    if (!(await isDirectoryEmpty(ctx.paths.dataDir))) await removeDataDirectory(ctx);
    await ensureDirectory(ctx.paths.dataDir, ctx.options.owner);
    const args = [
      `--pgdata=${ctx.paths.dataDir}`,
      '-X',
      'stream',
      `--dbname=${connstring}`,
      ...opts.args,
    ];
    const result = await ctx.runner
      .run({
        ...programSpec(ctx, ctx.bins.path('pg_basebackup'), args, { signal }),
        env: programEnv(ctx, passfile === null ? {} : { PGPASSFILE: passfile }),
      })
      .catch((err: unknown) => {
        ctx.logger.error(`Error when fetching backup: ${errorMessage(err)}`);
        return null;
      });
    if (result === null) return false;
    if (result.exitCode === 0) return true;
    ctx.logger.error(`Error when fetching backup: pg_basebackup ${describeExit(result)}`);
    if (result.aborted || attempt === BASEBACKUP_ATTEMPTS) break;
    ctx.logger.warning(`Trying again in ${BASEBACKUP_RETRY_MS / 1000} seconds`);
    await ctx.clock.sleep(BASEBACKUP_RETRY_MS, signal);
  }
  return false;
}

async function customMethod(
  ctx: PgContext,
  method: string,
  connstring: string,
  passfile: string | null,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  const section = ctx.options.replicaMethods?.[method] ?? {};
  const parsed = customReplicaArgs({
    method,
    section,
    scope: ctx.options.scope,
    dataDir: ctx.paths.dataDir,
    connstring,
  });
  if (!parsed.ok) {
    ctx.logger.error(parsed.error);
    return false;
  }
  try {
    if (truthy(section['keep_data'])) {
      // Kept for the method (`pgbackrest --delta restore` copies only what changed). pgBackRest
      // restores only into an existing directory, as a package or a mount leaves one.
      if (!(await isDirectoryEmpty(ctx.paths.dataDir))) {
        ctx.logger.info('Leaving data directory uncleaned');
      } else {
        await ensureDirectory(ctx.paths.dataDir, ctx.options.owner);
      }
    } else {
      if (!(await isDirectoryEmpty(ctx.paths.dataDir))) await removeDataDirectory(ctx);
      // Patroni hands the method no data directory at all: restore scripts create it (Patroni's
      // own test method is a `shutil.copytree`, which fails on an existing one). A directory
      // that cannot go (a mount point, a root-owned parent) stays, as it would for Patroni.
      await rmdir(ctx.paths.dataDir).catch(() => undefined);
    }
    const [command, ...args] = parsed.args as [string, ...string[]];
    const result = await ctx.runner.run({
      ...scriptSpec(ctx, command, args, { signal }),
      env: programEnv(ctx, passfile === null ? {} : { PGPASSFILE: passfile }),
    });
    if (result.exitCode === 0) {
      // A method that "succeeded" without a directory still gets one for the config files.
      await ensureDirectory(ctx.paths.dataDir, ctx.options.owner);
      return true;
    }
    ctx.logger.error(`replica method ${method} ${describeExit(result)}`);
  } catch (err) {
    ctx.logger.error(`replica method ${method} failed: ${errorMessage(err)}`);
  }
  return false;
}
