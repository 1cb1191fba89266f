import { parseLsn } from '../core/model/lsn.js';
import { controlDataAllowsRewind } from '../core/pg/controldata.js';
import { memberConnKwargs, rewindSourceKwargs } from '../core/pg/conn-kwargs.js';
import { formatConninfo } from '../core/pg/conninfo.js';
import { needsRewind, parseWaldumpEnd, positionFromControlData } from '../core/pg/divergence.js';
import type { LocalPosition } from '../core/pg/divergence.js';
import { parseHistoryFile } from '../core/pg/history.js';
import { rewindCredentials } from '../core/pg/options.js';
import { describeExit } from '../process/runner.js';
import { errorMessage } from '../shared/errors.js';
import { archiveReadyWals } from './archive.js';
import { withConnection } from './connection.js';
import { programEnv, programSpec } from './context.js';
import type { PgContext } from './context.js';
import { controlData } from './controldata.js';
import { memberConnectParams, withReplicationConnection } from './leader-link.js';
import type { LeaderRef } from './leader-link.js';
import { livePostmaster } from './postmaster-pid.js';
import { stopPostgres } from './stop.js';
import { join } from 'node:path';

export type Divergence =
  | {
      readonly verdict: 'need' | 'not_need';
      readonly local: LocalPosition;
      readonly leaderTimeline: number;
    }
  | { readonly verdict: 'unknown'; readonly reason: string };

/** use_pg_rewind, a working pg_rewind, and wal_log_hints or checksums in pg_control. */
export async function canRewind(ctx: PgContext): Promise<boolean> {
  if (ctx.options.usePgRewind !== true) return false;
  const help = await ctx.runner
    .run({
      ...programSpec(ctx, ctx.bins.path('pg_rewind'), ['--help']),
      logLevel: 'none',
      timeoutMs: 10_000,
    })
    .catch(() => null);
  if (help?.exitCode !== 0) return false;
  try {
    return controlDataAllowsRewind(await controlData(ctx));
  } catch {
    return false;
  }
}

/** Local (timeline, lsn, in_recovery): from the running server, or pg_controldata when stopped. */
export async function localPosition(ctx: PgContext): Promise<LocalPosition | null> {
  if ((await livePostmaster(ctx.paths.dataDir)) !== null) {
    const rows = await ctx.conn.query<{ r: boolean; tli: number | null; lsn: string | null }>(
      `SELECT pg_catalog.pg_is_in_recovery() AS r,
              CASE WHEN pg_catalog.pg_is_in_recovery()
                   THEN COALESCE((SELECT received_tli FROM pg_catalog.pg_stat_get_wal_receiver()),
                                 (SELECT timeline_id FROM pg_catalog.pg_control_checkpoint()))
                   ELSE ('x' || pg_catalog.substr(pg_catalog.pg_walfile_name(pg_catalog.pg_current_wal_lsn()), 1, 8))::bit(32)::int
              END AS tli,
              CASE WHEN pg_catalog.pg_is_in_recovery() THEN pg_catalog.pg_last_wal_replay_lsn()
                   ELSE pg_catalog.pg_current_wal_lsn() END::text AS lsn`,
    );
    const row = rows[0];
    const lsn = parseLsn(row?.lsn ?? '');
    if (row === undefined || row.tli === null || lsn === null) return null;
    return { timeline: row.tli, lsn, inRecovery: row.r };
  }
  return positionFromControlData(await controlData(ctx), parseLsn);
}

/**
 * Spec/core.md §11.3: whether this node must be rewound before following `leader` (whose member
 * role the caller has checked is primary). `unknown` means "ask again next cycle".
 */
export async function checkDivergence(ctx: PgContext, leader: LeaderRef): Promise<Divergence> {
  try {
    const local = await localPosition(ctx);
    if (local === null) return { verdict: 'unknown', reason: 'local timeline and LSN are unknown' };
    const inRecovery = await withConnection(
      memberConnectParams(leader, rewindCredentials(ctx.options)),
      async (sql) =>
        (await sql.query<{ r: boolean }>('SELECT pg_catalog.pg_is_in_recovery() AS r'))[0]?.r,
    );
    if (inRecovery !== false)
      return { verdict: 'unknown', reason: `${leader.name} is still in recovery` };
    const repl = memberConnectParams(leader, ctx.options.authentication.replication);
    const { leaderTimeline, history } = await withReplicationConnection(repl, async (query) => {
      const tli = Number((await query('IDENTIFY_SYSTEM'))[0]?.['timeline']);
      if (!(tli > 1) || tli <= local.timeline) return { leaderTimeline: tli, history: '' };
      const content = (await query(`TIMELINE_HISTORY ${tli}`))[0]?.['content'];
      return {
        leaderTimeline: tli,
        history: Buffer.isBuffer(content)
          ? content.toString('utf8')
          : typeof content === 'string'
            ? content
            : '',
      };
    });
    const lines = parseHistoryFile(history);
    const end = local.inRecovery ? null : await checkpointEnd(ctx, local);
    const need = needsRewind(local, leaderTimeline, lines, end);
    ctx.logger.info(
      `local timeline=${local.timeline} lsn=${local.lsn}, primary timeline=${leaderTimeline}: rewind ${need ? 'needed' : 'not needed'}`,
    );
    return { verdict: need ? 'need' : 'not_need', local, leaderTimeline };
  } catch (err) {
    return { verdict: 'unknown', reason: errorMessage(err) };
  }
}

/** End of the shutdown checkpoint record of a stopped former primary, via pg_waldump. */
async function checkpointEnd(ctx: PgContext, local: LocalPosition): Promise<number | null> {
  const lsnText = `${Math.floor(local.lsn / 2 ** 32)
    .toString(16)
    .toUpperCase()}/${(local.lsn % 2 ** 32).toString(16).toUpperCase()}`;
  const waldump = ctx.options.binDir === '' ? 'pg_waldump' : join(ctx.options.binDir, 'pg_waldump');
  const result = await ctx.runner
    .run({
      ...programSpec(ctx, waldump, [
        '-p',
        ctx.paths.walDir,
        '-t',
        String(local.timeline),
        '-s',
        lsnText,
        '-n',
        '2',
      ]),
      env: programEnv(ctx, { LANG: 'C', LC_ALL: 'C' }),
      logLevel: 'none',
      timeoutMs: 30_000,
    })
    .catch(() => null);
  if (result === null) return null;
  return parseWaldumpEnd(`${result.stdout}\n${result.stderr}`, parseLsn);
}

/**
 * Spec/core.md §11.4 (follower side): a leader whose member key says the post-promote checkpoint
 * is not done yet (false) makes us wait; unknown (null) → we run it ourselves when the rewind user
 * is the superuser, else verify it through pg_control_checkpoint(). Returns the reason to wait, or
 * null when the leader is ready.
 */
export async function leaderCheckpointGate(
  ctx: PgContext,
  leader: LeaderRef,
  checkpointAfterPromote: boolean | null,
): Promise<string | null> {
  if (checkpointAfterPromote === false)
    return `Waiting for checkpoint on ${leader.name} before rewind`;
  if (checkpointAfterPromote === true) return null;
  const cred = rewindCredentials(ctx.options);
  const superuser = cred.username === ctx.options.authentication.superuser.username;
  try {
    const params = { ...memberConnectParams(leader, cred), statementTimeoutMs: 0 };
    return await withConnection(params, async (sql) => {
      const r = (await sql.query<{ r: boolean }>('SELECT pg_catalog.pg_is_in_recovery() AS r'))[0]
        ?.r;
      if (r !== false) return `${leader.name} is in recovery`;
      if (superuser) {
        await sql.query('CHECKPOINT');
        return null;
      }
      const rows = await sql.query<{ ok: boolean }>(
        `SELECT (SELECT timeline_id FROM pg_catalog.pg_control_checkpoint()) =
                ('x' || pg_catalog.substr(pg_catalog.pg_walfile_name(pg_catalog.pg_current_wal_lsn()), 1, 8))::bit(32)::int AS ok`,
      );
      return rows[0]?.ok === true ? null : 'leader has not run a checkpoint yet';
    });
  } catch (err) {
    return errorMessage(err);
  }
}

/**
 * Spec/core.md §11.5: stop (fast, no checkpoint), then `pg_rewind -D <data> --source-server
 * <dsn>` as the rewind user. Returns true on success; the caller starts the node as a replica.
 * PG 13+ pg_rewind runs crash recovery itself when the target was not shut down cleanly.
 */
export async function rewind(
  ctx: PgContext,
  leader: LeaderRef,
  signal?: AbortSignal,
): Promise<boolean> {
  try {
    await stopPostgres(ctx, { mode: 'fast', checkpoint: false, blockCallbacks: true });
  } catch (err) {
    ctx.logger.warning(
      `Can not run pg_rewind because postgres is still running: ${errorMessage(err)}`,
    );
    return false;
  }
  await archiveReadyWals(ctx);
  const cred = rewindCredentials(ctx.options);
  const source = memberConnKwargs(leader.connUrl, cred);
  if (source === null) {
    ctx.logger.error(`Can not rewind from ${leader.name}: its conn_url is unusable`);
    return false;
  }
  // Every setting of the rewind user (sslmode, sslcert, ...), as Patroni's format_dsn passes it.
  const dsn = formatConninfo(rewindSourceKwargs(source, ctx.options.database ?? 'postgres'), true);
  const passfile = await ctx.files.writePgpass(
    cred.password === undefined
      ? []
      : [
          {
            host: source['host'] ?? '',
            port: source['port'] ?? '5432',
            user: cred.username,
            password: cred.password,
          },
        ],
  );
  const args = ['-D', ctx.paths.dataDir, '--source-server', dsn];
  if (ctx.paths.configDir !== ctx.paths.dataDir)
    args.splice(0, 0, `--config-file=${ctx.paths.conf}`);
  // The dsn, as Patroni logs it: it names no password (that is in the passfile).
  ctx.logger.info(`running pg_rewind from ${dsn}`);
  const result = await ctx.runner.run({
    ...programSpec(ctx, ctx.bins.path('pg_rewind'), args, { signal }),
    env: programEnv(ctx, {
      PGPASSFILE: passfile,
      LANG: 'C',
      LC_ALL: 'C',
      PGOPTIONS: '-c statement_timeout=0',
    }),
  });
  if (result.exitCode === 0) {
    ctx.logger.info('pg_rewind finished successfully');
    return true;
  }
  ctx.logger.error(
    `Failed to rewind from healty primary: ${leader.name} (pg_rewind ${describeExit(result)})`,
  );
  return false;
}
