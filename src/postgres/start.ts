import { closeSync, fchownSync, fstatSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { postmasterArgs } from '../core/pg/cmdline.js';
import { CONTROLDATA_MINIMUMS, replicaMinimums } from '../core/pg/replica-minimums.js';
import { parseListen, pgCtlTimeoutMs } from '../core/pg/options.js';
import { PatroniError } from '../shared/errors.js';
import type { CallbackRole } from './callbacks.js';
import { localConnectParams, programEnv, programSpec } from './context.js';
import { controlData } from './controldata.js';
import type { PgContext } from './context.js';
import { isDirectoryEmpty, pathExists } from './files.js';
import { livePostmaster, stalePidInUse } from './postmaster-pid.js';
import { portInUse, probeServer } from './probe.js';

export interface StartOptions {
  /** Role for callbacks; the files (standby.signal or not) must already say the same. */
  readonly role?: CallbackRole | undefined;
  /** Default pg_ctl_timeout. */
  readonly timeoutMs?: number | undefined;
  /** Restart and role-changing follow fire their own callback instead of on_start. */
  readonly blockCallbacks?: boolean | undefined;
}

/** `running`: accepting connections; `starting`: still recovering when the timeout came. */
export type StartOutcome = 'running' | 'starting';

/**
 * A probe is one local connection attempt, cheap next to what waits on the answer: a new leader's
 * post_bootstrap, a replica's first stream, the rest of a demotion or a rejoin.
 */
const PROBE_INTERVAL_MS = 50;

/**
 * Starts the postmaster directly (Patroni's way: its own session, the command-line parameters),
 * and waits until it accepts connections or the timeout passes. Checks that can fail without
 * harm run before anything in the data directory is touched.
 */
export async function startPostgres(
  ctx: PgContext,
  opts: StartOptions = {},
): Promise<StartOutcome> {
  await assertStartable(ctx);
  ctx.lifecycle.transition('starting');
  try {
    await ctx.conn.close();
    await applyReplicaMinimums(ctx);
    await ctx.files.writePostgresqlConf();
    await ctx.files.replaceHba();
    await ctx.files.replaceIdent();
    await launch(ctx);
  } catch (err) {
    ctx.lifecycle.transition('start failed');
    throw err;
  }
  const outcome = await waitForStart(ctx, opts.timeoutMs ?? pgCtlTimeoutMs(ctx.options));
  ctx.role = opts.role ?? (await roleFromFiles(ctx));
  if (outcome === 'running') {
    await ctx.files.saveBackups().catch(() => undefined);
    if (opts.blockCallbacks !== true) ctx.callbacks.call('on_start', ctx.role);
  }
  return outcome;
}

/**
 * A replica may not start below the primary's recorded shared-memory settings (spec/core.md
 * §14.7): the larger pg_control value is used until the configuration catches up.
 */
async function applyReplicaMinimums(ctx: PgContext): Promise<void> {
  for (const name of CONTROLDATA_MINIMUMS) ctx.files.setOverride(name, null);
  if ((await roleFromFiles(ctx)) !== 'replica') return;
  const cd = await controlData(ctx).catch(() => null);
  if (cd === null) return;
  const raised = replicaMinimums(ctx.options.parameters, cd);
  for (const [name, value] of Object.entries(raised)) {
    ctx.logger.warning(`${name} is lower than the value in pg_controldata, using ${value}`);
    ctx.files.setOverride(name, value);
  }
}

/** Patroni's rule when the caller does not say: a signal file means replica. */
async function roleFromFiles(ctx: PgContext): Promise<CallbackRole> {
  const standby =
    (await pathExists(ctx.paths.standbySignal)) || (await pathExists(ctx.paths.recoverySignal));
  return standby ? 'replica' : 'master';
}

async function assertStartable(ctx: PgContext): Promise<void> {
  const { dataDir, pgVersion } = ctx.paths;
  if (await isDirectoryEmpty(dataDir)) {
    throw new PatroniError('PG_DATA_DIR', `data directory ${dataDir} is empty: nothing to start`);
  }
  if (!(await pathExists(pgVersion))) {
    throw new PatroniError(
      'PG_DATA_DIR',
      `data directory ${dataDir} (postgresql.data_dir) is not empty but is not a PostgreSQL cluster: PG_VERSION is missing`,
    );
  }
  await ctx.bins.validate(['postgres']);
  await assertSameMajor(ctx);
  const running = await livePostmaster(dataDir);
  if (running !== null) {
    throw new PatroniError(
      'PG_START_FAILED',
      `postmaster is already running (pid ${running.pid})`,
      {
        details: { pid: running.pid },
      },
    );
  }
  const { hosts, port } = parseListen(ctx.options.listen);
  const host = localConnectParams(ctx.options).host;
  if (await portInUse(host === 'localhost' ? '127.0.0.1' : host, port)) {
    throw new PatroniError(
      'PG_START_FAILED',
      `port ${port} on ${hosts.join(',') || host} (postgresql.listen) is already in use by another process`,
      { recoverable: true, details: { port } },
    );
  }
}

/** PG_VERSION must match the binaries: a wrong bin_dir would otherwise fail obscurely. */
async function assertSameMajor(ctx: PgContext): Promise<void> {
  const dataMajor = (await readFile(ctx.paths.pgVersion, 'utf8')).trim();
  const r = await ctx.runner.run({
    ...programSpec(ctx, ctx.bins.path('postgres'), ['--version']),
    logLevel: 'none',
    timeoutMs: 10_000,
  });
  const binMajor = /\s(\d+)(?:\.\d+)?/.exec(r.stdout)?.[1];
  if (binMajor !== undefined && binMajor !== dataMajor) {
    throw new PatroniError(
      'PG_DATA_DIR',
      `data directory ${ctx.paths.dataDir} was initialized by PostgreSQL ${dataMajor}, but ${ctx.bins.path('postgres')} is version ${binMajor} (check postgresql.bin_dir)`,
    );
  }
}

async function launch(ctx: PgContext): Promise<void> {
  const args = postmasterArgs(ctx.paths.dataDir, ctx.paths.conf, ctx.files.serverParameters());
  const fd = openSync(ctx.paths.postmasterLog, 'a', 0o600);
  logOffsets.set(ctx, fstatSync(fd).size);
  try {
    const owner = ctx.options.owner;
    if (owner !== null && owner !== undefined) fchownSync(fd, owner.uid, owner.gid);
    const proc = await ctx.runner.start(
      programSpec(ctx, ctx.bins.path('postgres'), args, {
        detached: true,
        outputFd: fd,
        unref: true,
        env: programEnv(ctx, staleLockEnv(ctx)),
      }),
    );
    const launched = { pid: proc.pid, exited: proc.result, done: false };
    void proc.result.then(() => {
      launched.done = true;
    });
    ctx.launched = launched;
    ctx.logger.info(`postmaster pid=${proc.pid}`);
  } finally {
    closeSync(fd);
  }
}

/**
 * When postmaster.pid names a live process that is not its postmaster (the pid reused after a
 * crash), PostgreSQL would refuse the data directory for as long as that process lives. It
 * ignores the pid it is given as PG_GRANDPARENT_PID (Patroni 3.0.2 does the same; removing the
 * file instead would race with a postmaster starting meanwhile).
 */
export function staleLockEnv(ctx: PgContext): Record<string, string> {
  const pid = stalePidInUse(ctx.paths.dataDir);
  if (pid === null) return {};
  ctx.logger.info(`Telling pg_ctl that it is safe to ignore postmaster.pid for process ${pid}`);
  return { PG_GRANDPARENT_PID: String(pid) };
}

async function waitForStart(ctx: PgContext, timeoutMs: number): Promise<StartOutcome> {
  const deadline = ctx.clock.now() + timeoutMs;
  const params = { ...localConnectParams(ctx.options), connectTimeoutMs: 2000 };
  for (;;) {
    const readiness = await probeServer(params);
    if (readiness === 'running') {
      ctx.lifecycle.transition('running');
      return 'running';
    }
    if (ctx.launched?.done === true) {
      ctx.lifecycle.transition('start failed');
      throw new PatroniError(
        'PG_START_FAILED',
        `postmaster exited during start: ${await logTail(ctx)}`,
      );
    }
    if (ctx.clock.now() >= deadline) {
      ctx.logger.warning(`PostgreSQL is still starting after ${Math.round(timeoutMs / 1000)} s`);
      return 'starting';
    }
    await ctx.clock.sleep(PROBE_INTERVAL_MS);
  }
}

/** Where this launch's output starts in the (appended) postmaster log. */
const logOffsets = new WeakMap<PgContext, number>();

/** The FATAL/ERROR lines the postmaster wrote in this launch, or its last lines. */
export async function logTail(ctx: PgContext): Promise<string> {
  const all = await readFile(ctx.paths.postmasterLog).catch(() => Buffer.alloc(0));
  const text = all.subarray(logOffsets.get(ctx) ?? 0).toString('utf8');
  const lines = text.trimEnd().split('\n').slice(-20);
  const first = lines.findIndex((l) => /\b(FATAL|PANIC)\b/.test(l));
  // The lines just before the FATAL usually say why (e.g. the invalid parameter value).
  const chosen = first < 0 ? lines.slice(-3) : lines.slice(Math.max(0, first - 2), first + 1);
  return chosen.join(' | ') || 'no output';
}
