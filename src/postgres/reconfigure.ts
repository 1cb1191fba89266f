import type { PgParamValue } from '../core/pg/options.js';
import { confText } from '../core/pg/quote.js';
import { describeExit } from '../process/runner.js';
import { errorMessage } from '../shared/errors.js';
import { archiveReadyWals } from './archive.js';
import { programEnv, programSpec } from './context.js';
import type { PgContext } from './context.js';
import { livePostmaster, signalProcess } from './postmaster-pid.js';
import { staleLockEnv } from './start.js';

export interface ReloadOutcome {
  /** Some file changed and PostgreSQL was sent SIGHUP. */
  readonly reloaded: boolean;
  /** A changed parameter needs a restart (pg_settings.pending_restart). */
  readonly pendingRestart: boolean;
}

interface SettingRow {
  name: string;
  setting: string;
  pending_restart: boolean;
}

const SETTLE_MS = 1_000;

/**
 * Spec/core.md §14.6: rewrite postgresql.conf, pg_hba.conf and pg_ident.conf from the current
 * options; when something changed, SIGHUP, log Patroni's "Changed <p> from <a> to <b>" lines,
 * fire on_reload, and read pending_restart back after a second.
 */
export async function reloadConfiguration(ctx: PgContext): Promise<ReloadOutcome> {
  const wanted = ctx.files.serverParameters();
  const before = await settings(ctx, Object.keys(wanted));
  const conf = await ctx.files.writePostgresqlConf();
  const hba = await ctx.files.replaceHba();
  const ident = await ctx.files.replaceIdent();
  const pm = await livePostmaster(ctx.paths.dataDir);
  if (!(conf || hba || ident) || pm === null) {
    if (pm !== null)
      ctx.logger.info('No PostgreSQL configuration items changed, nothing to reload.');
    return { reloaded: false, pendingRestart: false };
  }
  ctx.logger.info('Reloading PostgreSQL configuration.');
  signalProcess(pm.pid, 'SIGHUP');
  ctx.callbacks.call('on_reload', ctx.role);
  await ctx.clock.sleep(SETTLE_MS);
  const after = await settings(ctx, Object.keys(wanted));
  let pendingRestart = false;
  for (const row of after.values()) {
    const old = before.get(row.name);
    if (row.pending_restart) {
      pendingRestart = true;
      const want = wanted[row.name];
      ctx.logger.info(
        `Changed ${row.name} from ${old?.setting ?? '?'} to ${want === undefined ? '?' : confText(want)} (restart might be required)`,
      );
    } else if (old !== undefined && old.setting !== row.setting) {
      ctx.logger.info(`Changed ${row.name} from ${old.setting} to ${row.setting}`);
    }
  }
  return { reloaded: true, pendingRestart };
}

async function settings(ctx: PgContext, names: string[]): Promise<Map<string, SettingRow>> {
  try {
    const rows = await ctx.conn.query<SettingRow>(
      'SELECT name, setting, pending_restart FROM pg_catalog.pg_settings WHERE name = ANY($1)',
      [names],
    );
    return new Map(rows.map((r) => [r.name, r]));
  } catch {
    return new Map();
  }
}

/**
 * A parameter Patroni owns at run time (synchronous_standby_names): written into
 * postgresql.conf, where Patroni keeps it, then SIGHUP. No on_reload: it is not a config reload.
 * True when a running postmaster was told to reload a changed file.
 */
export async function setOwnedParameter(
  ctx: PgContext,
  name: string,
  value: PgParamValue | null,
): Promise<boolean> {
  ctx.files.setOverride(name, value);
  if (!(await ctx.files.writePostgresqlConf())) return false;
  const pm = await livePostmaster(ctx.paths.dataDir);
  if (pm === null) return false;
  signalProcess(pm.pid, 'SIGHUP');
  return true;
}

/** PostgreSQL rereads postgresql.conf within about a millisecond of SIGHUP; Patroni gives it 100. */
const RELOAD_GRACE_MS = 100;

/**
 * After synchronous_standby_names names new standbys: one tiny commit, so that WAL moves (as
 * Patroni's `SELECT txid_current()` after the change, sync.py). Commits already waiting for a
 * standby that is gone are released only when a standby now named reports a flush position, and
 * an idle standby reports only every wal_receiver_status_interval (10 s): without new WAL the
 * writes stalled that much longer after the change. The commit itself waits for no standby
 * (synchronous_commit local for its transaction): statement_timeout does not cover a commit's
 * wait, so a named standby that does not answer either would hold the HA cycle for good. On a
 * replica it fails and is of no use: ignored.
 */
export async function nudgeWal(ctx: PgContext): Promise<void> {
  await ctx.clock.sleep(RELOAD_GRACE_MS);
  await ctx.conn
    .query(
      "SELECT pg_catalog.set_config('synchronous_commit', 'local', true), pg_catalog.txid_current()",
    )
    .catch((err: unknown) => {
      ctx.logger.debug(`txid_current after synchronous_standby_names: ${errorMessage(err)}`);
    });
}

/**
 * Spec/core.md §11.6: crash recovery in single-user mode, so pg_rewind and pg_controldata see a
 * cleanly shut down cluster. Archiving is forced off-line (`archive_command=false`). True on
 * exit 0.
 */
export async function singleUserCrashRecovery(
  ctx: PgContext,
  signal?: AbortSignal,
): Promise<boolean> {
  await ctx.files.removeRecovery();
  await ctx.files.writePostgresqlConf();
  await archiveReadyWals(ctx);
  const args = [
    '--single',
    '-D',
    ctx.paths.dataDir,
    `--config-file=${ctx.paths.conf}`,
    '-c',
    'archive_mode=on',
    '-c',
    'archive_command=false',
    'template1',
  ];
  ctx.logger.info('doing crash recovery in a single user mode');
  try {
    // A crashed postmaster's pid, now a zombie or another process, would fail the lock-file
    // check as it fails a start (start.ts); the shared memory check still guards a live server.
    const r = await ctx.runner.run({
      ...programSpec(ctx, ctx.bins.path('postgres'), args, { signal }),
      env: programEnv(ctx, staleLockEnv(ctx)),
    });
    if (r.exitCode === 0) return true;
    ctx.logger.error(`Crash recovery finished with code=${r.exitCode ?? '?'} (${describeExit(r)})`);
  } catch (err) {
    ctx.logger.error(`Crash recovery failed: ${errorMessage(err)}`);
  }
  return false;
}
