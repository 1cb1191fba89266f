import { localAddress } from '../core/pg/conn-kwargs.js';
import type { PostgresOptions } from '../core/pg/options.js';
import type { ExistingSlot } from '../core/pg/slots.js';
import type { CommandRunner, RunAs, RunSpec } from '../process/runner.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/log/logger.js';
import { PgBinaries } from './binaries.js';
import { CallbackRunner } from './callbacks.js';
import type { CallbackRole } from './callbacks.js';
import { PgConfigFiles } from './config-files.js';
import { PgConnection } from './connection.js';
import type { ConnectParams } from './connection.js';
import { PgLifecycle } from './lifecycle.js';
import { resolvePaths } from './paths.js';
import type { PgPaths } from './paths.js';

export interface PgDeps {
  readonly runner: CommandRunner;
  readonly logger: Logger;
  readonly clock: Clock;
  /**
   * Where scripts named by the user run (callbacks, bootstrap and replica methods,
   * post_bootstrap): the daemon's working directory, as Patroni runs them, so a relative
   * `features/callback2.py` resolves as the operator wrote it. Default: process.cwd().
   */
  readonly workDir?: string;
}

/** Everything the PostgreSQL operations share; built once per daemon by `createPgContext`. */
export interface PgContext extends PgDeps {
  readonly workDir: string;
  /** Replaced as a whole by `updatePgOptions` when the effective configuration changes. */
  options: PostgresOptions;
  paths: PgPaths;
  bins: PgBinaries;
  readonly files: PgConfigFiles;
  readonly lifecycle: PgLifecycle;
  readonly conn: PgConnection;
  readonly callbacks: CallbackRunner;
  /** The role callbacks are told about; updated by start/promote/follow. */
  role: CallbackRole;
  /** pid of a postmaster we launched, and its exit. */
  launched: { readonly pid: number; readonly exited: Promise<unknown>; done: boolean } | null;
  /** What the last answered monitoring query saw, so the same cycle need not ask again. */
  observed: Observation | null;
  /**
   * pid of the postmaster that answered the last monitoring query (null when none did). Unlike
   * `observed`, kept while the next observation runs: the REST API checks it per request.
   */
  answeredPid: number | null;
}

/**
 * The observation of this cycle, if the postmaster that answered it still runs: the cycle's
 * actions follow its observation within milliseconds; older than this, it is asked again.
 */
export function recentObservation(ctx: PgContext, pid: number): Observation | null {
  const o = ctx.observed;
  if (o === null || o.pid !== pid || ctx.clock.now() - o.atMs > OBSERVATION_FRESH_MS) return null;
  return o;
}

const OBSERVATION_FRESH_MS = 2_000;

export interface Observation {
  /** The postmaster that answered. */
  readonly pid: number;
  /** ctx.clock.now() when it answered. */
  readonly atMs: number;
  readonly inRecovery: boolean;
  /** Non-temporary replication slots. */
  readonly slots: readonly ExistingSlot[];
}

export function createPgContext(options: PostgresOptions, deps: PgDeps): PgContext {
  const paths = resolvePaths(options);
  const workDir = deps.workDir ?? process.cwd();
  const ctx: PgContext = {
    ...deps,
    workDir,
    options,
    paths,
    bins: PgBinaries.from(options),
    files: new PgConfigFiles(options, paths, deps.logger),
    lifecycle: new PgLifecycle(deps.logger),
    conn: new PgConnection(() => localConnectParams(ctx.options)),
    callbacks: new CallbackRunner(() => ctx.options, deps.runner, deps.logger, workDir),
    role: 'uninitialized',
    launched: null,
    observed: null,
    answeredPid: null,
  };
  return ctx;
}

/**
 * Takes a new effective configuration. The connection is dropped when its parameters changed;
 * files are rewritten by the next start/reload, not here.
 */
export async function updatePgOptions(ctx: PgContext, options: PostgresOptions): Promise<void> {
  const before = JSON.stringify(localConnectParams(ctx.options));
  ctx.options = options;
  ctx.paths = resolvePaths(options);
  ctx.bins = PgBinaries.from(options);
  ctx.files.update(options, ctx.paths);
  if (JSON.stringify(localConnectParams(options)) !== before) await ctx.conn.close();
}

/** libpq's compiled-in socket directory on Debian, for `use_unix_socket` with no directory set. */
export const DEFAULT_SOCKET_DIR = '/var/run/postgresql';

/**
 * Patroni's local superuser connection (spec/core.md §14.3, `local_connect_kwargs`): TCP or,
 * with `use_unix_socket`, the socket, and every setting of `authentication.superuser`.
 */
export function localConnectParams(o: PostgresOptions): ConnectParams {
  const su = o.authentication.superuser;
  const address = localAddress(o);
  return {
    host: address.host ?? DEFAULT_SOCKET_DIR,
    port: address.port,
    user: su.username,
    password: su.password,
    database: o.database ?? 'postgres',
    libpq: su.libpq,
  };
}

export function runAs(ctx: Pick<PgContext, 'options'>): RunAs | null {
  const owner = ctx.options.owner;
  return owner === null || owner === undefined ? null : { uid: owner.uid, gid: owner.gid };
}

/**
 * The environment of PostgreSQL programs: ours without PATRONI_* / KUBERNETES_* (secrets live
 * there), HOME of the PostgreSQL account when we drop to it, plus `extra`.
 */
export function programEnv(
  ctx: Pick<PgContext, 'options'>,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('PATRONI_') && !k.startsWith('KUBERNETES_')) env[k] = v;
  }
  const owner = ctx.options.owner;
  if (owner !== null && owner !== undefined) {
    if (owner.home !== undefined) env['HOME'] = owner.home;
    if (owner.name !== undefined) env['USER'] = env['LOGNAME'] = owner.name;
  }
  return { ...env, ...extra };
}

/** A RunSpec for a PostgreSQL program, as the PostgreSQL account, logged line by line. */
export function programSpec(
  ctx: PgContext,
  command: string,
  args: readonly string[],
  extra: Partial<RunSpec> = {},
): RunSpec {
  return {
    command,
    args,
    env: programEnv(ctx),
    user: runAs(ctx),
    // A directory every account may enter: programs dropped to postgres must not start in /root.
    cwd: '/',
    logger: ctx.logger,
    logLevel: 'info',
    ...extra,
  };
}

/**
 * A RunSpec for a user's script (custom bootstrap or replica method, post_bootstrap): like a
 * PostgreSQL program, but from the daemon's working directory, where its relative paths point.
 */
export function scriptSpec(
  ctx: PgContext,
  command: string,
  args: readonly string[],
  extra: Partial<RunSpec> = {},
): RunSpec {
  return programSpec(ctx, command, args, { cwd: ctx.workDir, ...extra });
}
