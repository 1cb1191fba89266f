import { pgCtlTimeoutMs } from '../core/pg/options.js';
import { describeExit } from '../process/runner.js';
import { PatroniError } from '../shared/errors.js';
import { programSpec } from './context.js';
import type { PgContext } from './context.js';
import { livePostmaster, signalProcess } from './postmaster-pid.js';
import { startPostgres } from './start.js';
import type { StartOutcome } from './start.js';
import { stopPostgres } from './stop.js';
import type { StopMode } from './stop.js';

/**
 * Restart (spec/core.md §16.1): state `restarting`, a fast stop and a start with callbacks
 * blocked, then `on_restart`. A failure leaves `restart failed (<state>)`.
 */
export async function restartPostgres(
  ctx: PgContext,
  opts: { mode?: StopMode; timeoutMs?: number } = {},
): Promise<StartOutcome> {
  ctx.lifecycle.transition('restarting');
  try {
    await stopPostgres(ctx, { mode: opts.mode ?? 'fast', blockCallbacks: true });
    const outcome = await startPostgres(ctx, {
      blockCallbacks: true,
      timeoutMs: opts.timeoutMs ?? pgCtlTimeoutMs(ctx.options),
    });
    if (outcome === 'running') ctx.callbacks.call('on_restart', ctx.role);
    return outcome;
  } catch (err) {
    ctx.lifecycle.restartFailed(ctx.lifecycle.state);
    throw err;
  }
}

/**
 * Rewrites the configuration files (postgresql.conf, pg_hba, pg_ident) and sends SIGHUP, as
 * `pg_ctl reload` does; fires on_reload.
 */
export async function reloadPostgres(
  ctx: PgContext,
  opts: { rewriteFiles?: boolean; blockCallbacks?: boolean } = {},
): Promise<void> {
  const pm = await livePostmaster(ctx.paths.dataDir);
  if (pm === null) {
    throw new PatroniError('PG_QUERY_FAILED', 'can not reload: PostgreSQL is not running', {
      recoverable: true,
    });
  }
  if (opts.rewriteFiles !== false) {
    await ctx.files.writePostgresqlConf();
    await ctx.files.replaceHba();
    await ctx.files.replaceIdent();
  }
  ctx.logger.info('Reloading PostgreSQL configuration.');
  signalProcess(pm.pid, 'SIGHUP');
  if (opts.blockCallbacks !== true) ctx.callbacks.call('on_reload', ctx.role);
}

/**
 * Asks PostgreSQL to promote itself, without waiting (as Patroni 3.0.2's `pg_ctl promote -W`:
 * the HA loop watches the outcome); with `wait`, polls until PostgreSQL leaves recovery or the
 * timeout passes. Fires on_role_change with `master`.
 */
export async function promotePostgres(
  ctx: PgContext,
  opts: { wait?: boolean; timeoutMs?: number } = {},
): Promise<void> {
  if (!(await promoteOverSession(ctx))) await promoteWithPgCtl(ctx);
  ctx.files.forgetRecovery();
  ctx.role = 'master';
  ctx.callbacks.call('on_role_change', 'master');
  if (opts.wait === true) await waitForPrimary(ctx, opts.timeoutMs ?? pgCtlTimeoutMs(ctx.options));
}

/**
 * `pg_promote(wait => false)` on the daemon's open session: what `pg_ctl promote` does (the
 * promote file, then SIGUSR1 to the postmaster) without spawning a process, which cost 0.1-0.7 s
 * on a loaded host at the very moment the writers wait for the new leader (issue 17). False
 * when the session cannot (PostgreSQL < 12, no session, not in recovery): pg_ctl then decides,
 * with its own messages.
 */
async function promoteOverSession(ctx: PgContext): Promise<boolean> {
  const rows = await ctx.conn
    .query<{ ok: boolean }>('SELECT pg_catalog.pg_promote(false) AS ok')
    .catch(() => null);
  if (rows?.[0]?.ok !== true) return false;
  // pg_ctl's own line, which Patroni's log shows at this point.
  ctx.logger.info('server promoting');
  return true;
}

async function promoteWithPgCtl(ctx: PgContext): Promise<void> {
  const result = await ctx.runner.run(
    programSpec(ctx, ctx.bins.path('pg_ctl'), ['promote', '-W', '-D', ctx.paths.dataDir], {
      timeoutMs: 30_000,
    }),
  );
  if (result.exitCode !== 0) {
    throw new PatroniError(
      'PROCESS_FAILED',
      `pg_ctl promote ${describeExit(result)}: ${result.stderr.trim()}`,
      {
        recoverable: true,
      },
    );
  }
}

async function waitForPrimary(ctx: PgContext, timeoutMs: number): Promise<void> {
  const deadline = ctx.clock.now() + timeoutMs;
  for (;;) {
    const rows = await ctx.conn
      .query<{ r: boolean }>('SELECT pg_catalog.pg_is_in_recovery() AS r')
      .catch(() => [{ r: true }]);
    if (rows[0]?.r === false) break;
    if (ctx.clock.now() >= deadline) {
      throw new PatroniError('PG_START_FAILED', 'PostgreSQL did not finish promotion in time', {
        recoverable: true,
      });
    }
    // The promote task ends here; the replicas and the writers wait on it.
    await ctx.clock.sleep(50);
  }
  await ctx.files.writePostgresqlConf();
}
