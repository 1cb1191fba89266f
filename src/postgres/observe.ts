import type { LocalPgState } from '../core/model/local-pg.js';
import { UNKNOWN_PG_STATE } from '../core/model/local-pg.js';
import { errorMessage } from '../shared/errors.js';
import { localConnectParams } from './context.js';
import type { PgContext } from './context.js';
import { controlData, versionFromFile } from './controldata.js';
import { isDirectoryEmpty, pathExists } from './files.js';
import { MONITOR_SQL, existingSlots, lsnOrNull, replicationRows } from './monitor-query.js';
import type { MonitorRow } from './monitor-query.js';
import { livePostmaster } from './postmaster-pid.js';
import { probeServer } from './probe.js';

/**
 * What PostgreSQL looks like right now: one batched query when a postmaster lives, cheap file
 * checks (postmaster.pid, PG_VERSION) and pg_controldata (cached) when it does not. Never
 * throws: failures become fields (accepting false, nulls), which the HA core reasons about.
 */
export async function observe(ctx: PgContext): Promise<LocalPgState> {
  ctx.observed = null;
  const pm = await livePostmaster(ctx.paths.dataDir);
  if (pm === null) {
    ctx.answeredPid = null;
    return observeStopped(ctx);
  }
  let row: MonitorRow | undefined;
  try {
    row = (await ctx.conn.query<MonitorRow>(MONITOR_SQL))[0];
  } catch (err) {
    ctx.logger.debug(`monitoring query failed: ${errorMessage(err)}`);
  }
  if (row === undefined) {
    ctx.answeredPid = null;
    return observeUnanswered(ctx);
  }
  ctx.answeredPid = pm.pid;
  ctx.observed = {
    pid: pm.pid,
    atMs: ctx.clock.now(),
    inRecovery: row.in_recovery,
    slots: existingSlots(row.slots),
  };
  if (ctx.lifecycle.is('starting', 'crashed', 'stopped', 'unknown'))
    ctx.lifecycle.transition('running');
  return fromRow(ctx, row);
}

/** The observation one monitoring row makes (no side effects: the REST API reads it too). */
export function fromRow(ctx: PgContext, row: MonitorRow): LocalPgState {
  const receiver = row.wal_receiver;
  const receivedTimeline = receiver?.received_tli ?? null;
  return {
    ...UNKNOWN_PG_STATE,
    dataDirEmpty: false,
    state: ctx.lifecycle.published,
    postmasterRunning: true,
    accepting: true,
    inRecovery: row.in_recovery,
    timeline: row.in_recovery ? (receivedTimeline ?? row.checkpoint_timeline) : row.timeline,
    walPosition: lsnOrNull(row.wal_position),
    receiveLsn: lsnOrNull(row.receive_lsn),
    replayLsn: lsnOrNull(row.replay_lsn),
    replayPaused: row.replay_paused,
    receivedTimeline,
    walReceiverConninfo: receiver?.conninfo ?? null,
    walReceiverRunning: receiver !== null,
    replication: replicationRows(row.replication),
    pendingRestart: row.pending_restart,
    postmasterStartTime: row.postmaster_start_time,
    serverVersion: row.server_version,
    systemIdentifier: row.system_identifier,
    syncStandbyNames: row.sync_standby_names,
    synchronousCommit: row.synchronous_commit,
  };
}

/** A postmaster lives but did not answer: starting up (recovery), or stuck. */
async function observeUnanswered(ctx: PgContext): Promise<LocalPgState> {
  const readiness = await probeServer({
    ...localConnectParams(ctx.options),
    connectTimeoutMs: 2000,
  });
  if (readiness === 'rejecting' && ctx.lifecycle.is('running'))
    ctx.lifecycle.transition('starting');
  return {
    ...UNKNOWN_PG_STATE,
    dataDirEmpty: false,
    state: ctx.lifecycle.published,
    postmasterRunning: true,
    serverVersion: await versionFromFile(ctx),
  };
}

async function observeStopped(ctx: PgContext): Promise<LocalPgState> {
  if (ctx.lifecycle.is('running', 'starting')) {
    ctx.logger.warning('postmaster is not running');
    ctx.lifecycle.transition('crashed');
  }
  const base = { ...UNKNOWN_PG_STATE, state: ctx.lifecycle.published };
  if (await isDirectoryEmpty(ctx.paths.dataDir)) return base;
  const withVersion = { ...base, dataDirEmpty: false, serverVersion: await versionFromFile(ctx) };
  // While a clone or bootstrap writes the directory, pg_control may be half there.
  if (
    ctx.lifecycle.is(
      'creating replica',
      'initializing new cluster',
      'running custom bootstrap script',
    )
  ) {
    return withVersion;
  }
  if (!(await pathExists(ctx.paths.pgVersion))) return withVersion;
  try {
    const cd = await controlData(ctx);
    const state = cd['Database cluster state'] ?? null;
    const tli = Number(cd["Latest checkpoint's TimeLineID"]);
    return {
      ...withVersion,
      clusterState: state,
      inRecovery: state === null ? null : state.includes('recovery'),
      systemIdentifier: cd['Database system identifier'] ?? null,
      timeline: Number.isInteger(tli) && tli > 0 ? tli : null,
    };
  } catch (err) {
    ctx.logger.debug(`pg_controldata failed: ${errorMessage(err)}`);
    return withVersion;
  }
}
