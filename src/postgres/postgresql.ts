import type { LocalPgState } from '../core/model/local-pg.js';
import type { Lsn } from '../core/model/lsn.js';
import { parseLsn } from '../core/model/lsn.js';
import type { BootstrapOptions, CallbackAction, PostgresOptions } from '../core/pg/options.js';
import { buildRecoveryParams } from '../core/pg/recovery.js';
import type { FollowTarget } from '../core/pg/recovery.js';
import type { SlotPlan } from '../core/pg/slots.js';
import type { ExistingSlot, SlotSpec } from '../core/pg/slots.js';
import type { SlotAdvance } from '../core/pg/logical-slots.js';
import { errorMessage } from '../shared/errors.js';
import type { CallbackRole } from './callbacks.js';
import { createNewCluster } from './bootstrap.js';
import {
  createPgContext,
  localConnectParams,
  recentObservation,
  updatePgOptions,
} from './context.js';
import { reloadConfiguration, setOwnedParameter, singleUserCrashRecovery } from './reconfigure.js';
import type { ReloadOutcome } from './reconfigure.js';
import type { PgContext, PgDeps } from './context.js';
import { localCheckpoint } from './checkpoint.js';
import { controlData } from './controldata.js';
import { promotePostgres, reloadPostgres, restartPostgres } from './control.js';
import { moveDataDirectoryAside, removeDataDirectory } from './data-dir.js';
import { readTimelineHistory } from './history.js';
import type { TimelineHistoryFile } from './history.js';
import type { LeaderRef } from './leader-link.js';
import { observe } from './observe.js';
import { queryStatus, type PgStatusRead } from './status-query.js';
import { postBootstrap } from './post-bootstrap.js';
import { livePostmaster, livePostmasterNow, processAlive } from './postmaster-pid.js';
import { createReplica } from './replica.js';
import { SyncStandbyNames } from './sync-names.js';
import type { CloneResult } from './replica.js';
import { canRewind, checkDivergence, leaderCheckpointGate, rewind } from './rewind.js';
import type { Divergence } from './rewind.js';
import { applySlotPlan, listSlots } from './slots.js';
import { advanceSlot, installSlotStates, readLeaderSlotStates } from './logical-slots.js';
import type { AdvanceOutcome, LeaderSlotState } from './logical-slots.js';
import { startPostgres } from './start.js';
import { ensureSlotOnUpstream } from './upstream-slot.js';
import type { StartOptions, StartOutcome } from './start.js';
import { stopPostgres } from './stop.js';
import type { StopOptions } from './stop.js';

/**
 * The PostgreSQL port the daemon uses: one object per managed instance, every method a thin
 * delegation to one concern module. Long operations take an AbortSignal where they can stop.
 */
export class Postgresql {
  readonly ctx: PgContext;

  private readonly syncNames: SyncStandbyNames;

  constructor(options: PostgresOptions, deps: PgDeps) {
    this.ctx = createPgContext(options, deps);
    this.syncNames = new SyncStandbyNames(this.ctx);
  }

  get options(): PostgresOptions {
    return this.ctx.options;
  }

  /** The running postmaster's pid, read now from postmaster.pid and /proc (the lease guardian). */
  postmasterPid(): number | null {
    return livePostmasterNow(this.ctx.paths.dataDir)?.pid ?? null;
  }

  get dataDir(): string {
    return this.ctx.paths.dataDir;
  }

  async observe(): Promise<LocalPgState> {
    return this.syncNames.shown(await observe(this.ctx));
  }

  /** A read-only status query for the REST API (status-query.ts); null: keep the loop's view. */
  queryStatus(): Promise<PgStatusRead | null> {
    return queryStatus(this.ctx);
  }

  /**
   * The postmaster that answered the last observation has exited since (killed from outside,
   * e.g. `pg_ctl stop -m immediate`): what the loop last saw no longer holds. Patroni queries
   * PostgreSQL per REST request; one kill(pid, 0) per request tells the same at a fraction.
   */
  answeredPostmasterGone(): boolean {
    const pid = this.ctx.answeredPid;
    return pid !== null && !processAlive(pid);
  }

  /** Starts with whatever recovery setting the files hold; use follow() to start a replica. */
  async start(opts: StartOptions = {}): Promise<StartOutcome> {
    return startPostgres(this.ctx, opts);
  }

  /** Starts as primary: recovery configuration removed first. */
  async startPrimary(opts: StartOptions = {}): Promise<StartOutcome> {
    await this.ctx.files.removeRecovery();
    return startPostgres(this.ctx, { role: 'master', ...opts });
  }

  stop(opts: StopOptions = {}): Promise<boolean> {
    return stopPostgres(this.ctx, opts);
  }

  restart(opts: { timeoutMs?: number } = {}): Promise<StartOutcome> {
    return restartPostgres(this.ctx, opts);
  }

  reload(): Promise<void> {
    return reloadPostgres(this.ctx);
  }

  promote(opts: { wait?: boolean; timeoutMs?: number } = {}): Promise<void> {
    return promotePostgres(this.ctx, opts);
  }

  /**
   * Makes this node a replica of `target` (null: no primary_conninfo, e.g. recovering without a
   * leader): writes standby.signal and the recovery block; a stopped node is started, a running
   * replica reloaded (PG 13+ applies primary_conninfo on reload), a running primary restarted
   * (demotion) with on_role_change.
   */
  async follow(
    target: FollowTarget | null,
    opts: { role?: CallbackRole; timeoutMs?: number } = {},
  ): Promise<StartOutcome> {
    const ctx = this.ctx;
    const role = opts.role ?? 'replica';
    const plan = buildRecoveryParams(
      {
        selfName: ctx.options.name,
        replication: ctx.options.authentication.replication,
        recoveryConf: ctx.options.recoveryConf ?? {},
        useSlots: ctx.options.useSlots ?? true,
        pgpassPath: ctx.paths.pgpass,
      },
      target,
    );
    const pm = await livePostmaster(ctx.paths.dataDir);
    const running = pm !== null;
    const wasPrimary = running && (await this.isPrimary(pm.pid));
    await ctx.files.setStandby(plan.params, plan.pgpass);
    const slot = plan.params['primary_slot_name'];
    const ensureSlot = async (): Promise<void> => {
      if (target !== null && typeof slot === 'string') {
        await ensureSlotOnUpstream(ctx, target, slot);
      }
    };
    if (running && !wasPrimary) {
      // Called every cycle on a replica: only a real change costs a reload (and on_reload).
      const changed = await ctx.files.writePostgresqlConf();
      const roleChanged = ctx.role !== role && ctx.role !== 'uninitialized';
      if (changed) {
        // Before the reload, so the walreceiver's first attempt finds its slot.
        await ensureSlot();
        await reloadPostgres(ctx, { rewriteFiles: false, blockCallbacks: roleChanged });
      }
      if (roleChanged) ctx.callbacks.call('on_role_change', role);
      ctx.role = role;
      return 'running';
    }
    if (running) await stopPostgres(ctx, { mode: 'fast', blockCallbacks: true });
    await ensureSlot();
    const roleChanged = ctx.role !== role && ctx.role !== 'uninitialized';
    const outcome = await startPostgres(ctx, {
      role,
      blockCallbacks: roleChanged,
      ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
    });
    if (roleChanged) ctx.callbacks.call('on_role_change', role);
    return outcome;
  }

  /** initdb or the custom bootstrap method, then a start as primary (or into PITR recovery). */
  async bootstrap(bootstrap: BootstrapOptions): Promise<StartOutcome> {
    await createNewCluster(this.ctx, bootstrap);
    const method = bootstrap.method ?? 'initdb';
    const pitr = method !== 'initdb' && bootstrap.methods?.[method]?.recoveryConf !== undefined;
    const keep =
      method !== 'initdb' && bootstrap.methods?.[method]?.keepExistingRecoveryConf === true;
    if (pitr || keep) return startPostgres(this.ctx, { role: 'master', blockCallbacks: true });
    return this.startPrimary({ blockCallbacks: true });
  }

  postBootstrap(bootstrap: BootstrapOptions): Promise<void> {
    return postBootstrap(this.ctx, bootstrap);
  }

  /** `methods`: standby_cluster.create_replica_methods when cloning from a remote source. */
  createReplica(
    source: FollowTarget | null,
    signal?: AbortSignal,
    methods?: readonly string[],
  ): Promise<CloneResult> {
    return createReplica(this.ctx, source, signal, methods);
  }

  removeDataDirectory(): Promise<void> {
    return removeDataDirectory(this.ctx);
  }

  /** After a failed bootstrap: `<data_dir>.failed`. */
  moveDataDirectoryAside(): Promise<string> {
    return moveDataDirectoryAside(this.ctx);
  }

  canRewind(): Promise<boolean> {
    return canRewind(this.ctx);
  }

  checkDivergence(leader: LeaderRef): Promise<Divergence> {
    return checkDivergence(this.ctx, leader);
  }

  leaderCheckpointGate(
    leader: LeaderRef,
    checkpointAfterPromote: boolean | null,
  ): Promise<string | null> {
    return leaderCheckpointGate(this.ctx, leader, checkpointAfterPromote);
  }

  rewind(leader: LeaderRef, signal?: AbortSignal): Promise<boolean> {
    return rewind(this.ctx, leader, signal);
  }

  async checkpoint(): Promise<void> {
    await localCheckpoint(this.ctx);
  }

  /** From the running server, else pg_controldata; null when there is no cluster. */
  async systemIdentifier(): Promise<string | null> {
    if ((await livePostmaster(this.ctx.paths.dataDir)) !== null) {
      const rows = await this.ctx.conn
        .query<{ id: string }>(
          'SELECT system_identifier::text AS id FROM pg_catalog.pg_control_system()',
        )
        .catch(() => []);
      if (rows[0] !== undefined) return rows[0].id;
    }
    try {
      return (await controlData(this.ctx))['Database system identifier'] ?? null;
    } catch {
      return null;
    }
  }

  /** Patroni's `last_operation`: the primary's WAL write position, or a replica's received/replayed. */
  async lastOperation(): Promise<Lsn | null> {
    const rows = await this.ctx.conn.query<{ lsn: string | null }>(
      `SELECT CASE WHEN pg_catalog.pg_is_in_recovery()
                   THEN GREATEST(pg_catalog.pg_last_wal_receive_lsn(), pg_catalog.pg_last_wal_replay_lsn())
                   ELSE pg_catalog.pg_current_wal_lsn() END::text AS lsn`,
    );
    return parseLsn(rows[0]?.lsn ?? '');
  }

  readTimelineHistory(timeline: number): Promise<TimelineHistoryFile | null> {
    return readTimelineHistory(this.ctx, timeline);
  }

  listSlots(): Promise<ExistingSlot[]> {
    return listSlots(this.ctx.conn);
  }

  /** As this cycle's monitoring query saw them (no round trip of their own), else asked now. */
  async observedSlots(): Promise<readonly ExistingSlot[]> {
    const pm = await livePostmaster(this.ctx.paths.dataDir);
    const seen = pm === null ? null : recentObservation(this.ctx, pm.pid);
    return seen?.slots ?? listSlots(this.ctx.conn);
  }

  applySlotPlan(plan: SlotPlan): Promise<void> {
    this.ctx.observed = null;
    const base = localConnectParams(this.ctx.options);
    return applySlotPlan(this.ctx.conn, plan, this.ctx.logger, (database) => ({
      ...base,
      database,
    }));
  }

  /**
   * `copy_logical_slots`: the state files of `wanted` logical slots from the primary, put in
   * place while PostgreSQL is stopped, then PostgreSQL started again. False when nothing could be
   * read from the primary (it is retried in a later cycle).
   */
  async copyLogicalSlots(
    leader: LeaderRef,
    wanted: ReadonlyMap<string, SlotSpec>,
  ): Promise<boolean> {
    let states: LeaderSlotState[];
    try {
      states = await readLeaderSlotStates(this.ctx, leader, wanted);
    } catch (err) {
      this.ctx.logger.error(
        `Failed to copy logical slots from the ${leader.name} via postgresql connection: ${errorMessage(err)}`,
      );
      return false;
    }
    if (states.length === 0 || !(await this.stop())) return false;
    await installSlotStates(this.ctx, states);
    return (await this.start()) === 'running';
  }

  /**
   * `hot_standby_feedback = on` in postgresql.conf while this node should carry copies of
   * permanent logical slots (Patroni's `enforce_hot_standby_feedback`); off gives the parameter
   * back to the configuration. Written and reloaded only on a change.
   */
  async enforceHotStandbyFeedback(on: boolean): Promise<void> {
    if (this.hotStandbyFeedback === on) return;
    await setOwnedParameter(this.ctx, 'hot_standby_feedback', on ? 'on' : null);
    this.hotStandbyFeedback = on;
  }

  private hotStandbyFeedback: boolean | null = null;

  advanceLogicalSlot(a: SlotAdvance): Promise<AdvanceOutcome> {
    return advanceSlot(this.ctx, a);
  }

  /** Fire a callback (fire and forget), e.g. on_start when joining a running PostgreSQL. */
  callback(action: CallbackAction, role: CallbackRole): void {
    // The role callbacks were told is the role the next follow() compares with.
    if (action === 'on_role_change' || action === 'on_start') this.ctx.role = role;
    this.ctx.callbacks.call(action, role);
  }

  /** A new effective configuration (dynamic config change, SIGHUP); apply with reloadConfig(). */
  updateOptions(options: PostgresOptions): Promise<void> {
    return updatePgOptions(this.ctx, options);
  }

  /** Rewrites the config files and reloads only if one changed (spec/core.md §14.6). */
  reloadConfig(): Promise<ReloadOutcome> {
    return reloadConfiguration(this.ctx);
  }

  /** synchronous_standby_names as synchronous mode owns it (sync-names.ts). */
  setSynchronousStandbyNames(value: string | null): Promise<void> {
    return this.syncNames.set(value);
  }

  /** The lease's commit gate (daemon/lease/gate.ts, sync-names.ts). */
  setCommitGate(standbyName: string | null): Promise<void> {
    return this.syncNames.setGate(standbyName);
  }

  /** `synchronous_standby_names` as this node's session sees it now (the lease's commit gate). */
  async currentSyncStandbyNames(): Promise<string | null> {
    const rows = await this.ctx.conn.query<{ v: string }>(
      "SELECT pg_catalog.current_setting('synchronous_standby_names') AS v",
    );
    return rows[0]?.v ?? null;
  }

  /**
   * Ends every client session but this node's own (the lease's commit gate): a session that set
   * `synchronous_commit` to `local` or `off` is not held by the gate and could go on committing
   * until the demotion's shutdown. Replication connections are not client backends and stay.
   * Returns how many sessions were signalled.
   */
  async terminateClientSessions(): Promise<number> {
    const rows = await this.ctx.conn.query<{ n: string }>(
      'SELECT pg_catalog.count(pg_catalog.pg_terminate_backend(pid)) AS n ' +
        'FROM pg_catalog.pg_stat_activity ' +
        "WHERE backend_type = 'client backend' AND pid <> pg_catalog.pg_backend_pid()",
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Single-user crash recovery (spec/core.md §11.6); PostgreSQL must be stopped. */
  crashRecovery(signal?: AbortSignal): Promise<boolean> {
    return singleUserCrashRecovery(this.ctx, signal);
  }

  get state(): LocalPgState['state'] {
    return this.ctx.lifecycle.published;
  }

  /** A replica's follow() runs every cycle: the cycle's own observation answers it. */
  private async isPrimary(pid: number): Promise<boolean> {
    const seen = recentObservation(this.ctx, pid);
    if (seen !== null) return !seen.inRecovery;
    const rows = await this.ctx.conn
      .query<{ r: boolean }>('SELECT pg_catalog.pg_is_in_recovery() AS r')
      .catch(() => []);
    return rows[0]?.r === false;
  }

  async close(): Promise<void> {
    await this.ctx.conn.close();
  }
}
