import type { Action } from '../core/ha/decision.js';
import type { FollowTarget } from '../core/ha/input.js';
import type { BootstrapOptions } from '../core/pg/options.js';
import { orFalse, type Dcs } from '../dcs/index.js';
import type { Postgresql } from '../postgres/postgresql.js';
import { wakeWalReceiver } from '../postgres/wal-receiver-wake.js';
import { shlexSplit } from '../core/pg/shlex.js';
import { PatroniError, assertNever, errorMessage } from '../shared/errors.js';
import type { Logger } from '../shared/log/logger.js';
import type { AsyncSlot } from './async-slot.js';
import { runDemotion } from './demote.js';
import { pgFollowTarget } from './follow-target.js';
import { buildHistory } from './history.js';
import type { NodeRuntime } from './runtime.js';
import type { WatchdogPort } from './watchdog-port.js';
import type { LeaseHooks } from './lease/keeper.js';

/** Thrown to end the daemon: a decision said exit (sysid mismatch, failed bootstrap). */
export class FatalExit extends PatroniError {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super('INTERNAL', message);
  }
}

export interface ExecutorDeps {
  readonly dcs: Dcs;
  readonly pg: Postgresql;
  readonly slot: AsyncSlot;
  readonly runtime: NodeRuntime;
  readonly bootstrap: BootstrapOptions;
  readonly logger: Logger;
  readonly name: string;
  readonly sleep: (ms: number) => Promise<void>;
  /** `postgresql.pre_promote`. */
  readonly prePromote?: string | undefined;
  readonly watchdog?: WatchdogPort | undefined;
  readonly lease?: LeaseHooks | undefined;
}

/** How Patroni's `bootstrapped %s` / `failed to bootstrap %s` name the clone source. */
function cloneDescription(from: FollowTarget | null): string {
  if (from === null) return '(without leader)';
  // bootstrap_standby_leader: 'clone from remote member <conn_url>'.
  if (from.standby !== undefined) return `clone from remote member ${from.connUrl ?? ''}`;
  return `from '${from.name}'`;
}

/**
 * Carries out a Decision's actions in order: quick ones inline, long ones in the async slot
 * under Patroni's task name. A DCS write that cannot reach the DCS is logged and skipped, as
 * Patroni swallows them; the next cycle sees the truth.
 */
export class Executor {
  constructor(private readonly d: ExecutorDeps) {}

  async execute(actions: readonly Action[]): Promise<void> {
    for (const action of actions) await this.one(action);
  }

  /** Runs `work` in the slot; a refusal (another action running) is logged, not thrown. */
  private runTask(task: string, work: (signal: AbortSignal) => Promise<boolean>): void {
    const refused = this.d.slot.tryRun(task, work);
    if (refused !== null) this.d.logger.warning(refused);
  }

  private async one(a: Action): Promise<void> {
    const { dcs, pg, runtime, logger } = this.d;
    switch (a.type) {
      case 'touchMember':
        await orFalse(dcs.touchMember(a.member));
        return;
      case 'takeLeader': {
        const sentAt = this.d.lease?.stamp() ?? 0;
        if (await orFalse(dcs.takeLeader())) this.d.lease?.confirmed(sentAt);
        return;
      }
      case 'releaseLeaderLock':
        this.d.lease?.release();
        if (await orFalse(dcs.deleteLeader(a.lastLsn))) logger.info('Leader key released');
        return;
      case 'setInitialize':
        await orFalse(dcs.initialize(a.createNew, a.sysid));
        return;
      case 'writeDynamicConfig':
        await orFalse(dcs.setConfigValue(runtime.dynamicConfig));
        return;
      case 'clearFailoverKey':
        await orFalse(dcs.setFailoverValue({}, a.index));
        return;
      case 'rewriteFailoverKey':
        await orFalse(
          dcs.setFailoverValue({ candidate: a.candidate, scheduledAt: a.scheduledAt }, a.index),
        );
        return;
      case 'writeHistory':
        return this.writeHistory(a.timeline);
      case 'bootstrapNewCluster':
        this.runTask(a.task, async () => {
          await pg.bootstrap(this.d.bootstrap);
          return true;
        });
        return;
      case 'postBootstrap':
        this.runTask(a.task, async () => {
          await pg.postBootstrap(this.d.bootstrap);
          return true;
        });
        return;
      case 'cancelBootstrap':
        return this.cancelBootstrap();
      case 'cloneFrom':
        this.runTask(a.task, (signal) =>
          this.clone(a.source, a.followAfter, signal, a.replicaMethods),
        );
        return;
      case 'followLeader':
        return this.follow(a);
      case 'stopPostgres':
        await pg.stop({
          mode: a.mode,
          ...(a.timeoutSeconds === null ? {} : { timeoutMs: a.timeoutSeconds * 1000 }),
        });
        return;
      case 'promote':
        this.runTask(a.task, async (signal) => {
          if (!(await this.prePromote(signal))) return false;
          await pg.promote({ wait: true });
          return true;
        });
        return;
      case 'demote':
        return runDemotion(
          this.d,
          a,
          (task, work) => {
            this.runTask(task, work);
          },
          (step) => this.d.slot.exclusive(step),
        );
      case 'rewind':
        this.runTask(a.task, async (signal) => {
          if (a.from.connUrl === null) return false;
          return pg.rewind({ name: a.from.name, connUrl: a.from.connUrl }, signal);
        });
        return;
      case 'crashRecovery':
        this.runTask(a.task, (signal) => pg.crashRecovery(signal));
        return;
      case 'reinitialize':
        this.runTask(a.task, async (signal) => {
          await pg.stop({ mode: 'immediate' });
          // The data directory stays, as in Patroni 3.0.2: a keep_data method (`pgbackrest
          // --delta restore`) then copies only what changed; the others empty it themselves.
          // In a standby cluster a re-clone, too, uses standby_cluster.create_replica_methods.
          const standby = runtime.effective.standbyCluster;
          const methods = standby === null ? null : (standby.create_replica_methods ?? []);
          return this.clone(a.from, a.from, signal, methods);
        });
        return;
      case 'restartPostgres':
        this.runTask(a.task, async () => {
          const outcome = await pg.restart(
            a.timeoutSeconds === null ? {} : { timeoutMs: a.timeoutSeconds * 1000 },
          );
          return outcome === 'running';
        });
        return;
      case 'setSynchronousStandbyNames':
        await pg.setSynchronousStandbyNames(a.value).catch((err: unknown) => {
          logger.warning(`could not set synchronous_standby_names: ${errorMessage(err)}`);
        });
        return;
      case 'deleteSyncState':
        await orFalse(dcs.deleteSyncState(a.index));
        return;
      case 'cancelInFlight':
        this.d.slot.cancel();
        return;
      case 'checkpoint':
        void this.checkpoint();
        return;
      case 'resumeWalReplay':
        logger.info('Resuming paused WAL replay for PostgreSQL 14+');
        await pg.ctx.conn.query('SELECT pg_catalog.pg_wal_replay_resume()').catch(() => []);
        return;
      case 'wakeWalReceiver': {
        const { name, connUrl } = a.upstream;
        // In the background: a connect to an upstream still away may take its whole timeout.
        if (connUrl !== null) void wakeWalReceiver(pg.ctx, { name, connUrl }).catch(() => false);
        return;
      }
      case 'clearScheduledRestart':
        runtime.scheduledRestart = null;
        return;
      case 'callback':
        pg.callback(a.name, a.role === 'primary' ? 'master' : (a.role as 'replica'));
        return;
      case 'watchdogKeepalive':
        this.d.watchdog?.keepalive();
        return;
      case 'disableWatchdog':
        this.d.watchdog?.disable();
        return;
      case 'exit':
        throw new FatalExit(a.code, a.message);
      default:
        assertNever(a, 'action');
    }
  }

  private async clone(
    from: FollowTarget | null,
    followAfter: FollowTarget | null,
    signal: AbortSignal,
    methods: readonly string[] | null,
  ): Promise<boolean> {
    const { pg, logger } = this.d;
    const what = cloneDescription(from);
    const result = await pg.createReplica(pgFollowTarget(from), signal, methods ?? undefined);
    if (!result.ok) {
      logger.error(`failed to bootstrap ${what}`);
      await pg.removeDataDirectory().catch(() => undefined);
      return false;
    }
    logger.info(`bootstrapped ${what}`);
    const outcome = await pg.follow(pgFollowTarget(followAfter));
    return outcome === 'running';
  }

  private async follow(a: Extract<Action, { type: 'followLeader' }>): Promise<void> {
    const work = async (): Promise<boolean> => {
      const outcome = await this.d.pg.follow(pgFollowTarget(a.target), {
        role: a.role,
        ...(a.startTimeout === null ? {} : { timeoutMs: a.startTimeout * 1000 }),
      });
      return outcome === 'running';
    };
    if (a.task !== null) {
      this.runTask(a.task, work);
      return;
    }
    await work();
  }

  /**
   * `postgresql.pre_promote` (Patroni 2.1+): a non-zero exit cancels the promotion and the core
   * releases the lock. While it runs the promotion can still be called off, so a leader lost in
   * the meantime never promotes ("lost leader before promote").
   */
  private async prePromote(signal: AbortSignal): Promise<boolean> {
    const { prePromote, slot, pg, logger } = this.d;
    if (prePromote === undefined || prePromote === '') return true;
    const argv = shlexSplit(prePromote);
    if (argv === null || argv[0] === undefined) {
      logger.error(`pre_promote: cannot parse the command: ${prePromote}`);
      return false;
    }
    slot.setCancellable(true);
    try {
      const result = await pg.ctx.runner.run({
        command: argv[0],
        args: argv.slice(1),
        signal,
        logger,
        logLevel: 'info',
      });
      logger.info(`pre_promote script \`${prePromote}\` exited with ${result.exitCode ?? -1}`);
      return result.exitCode === 0 && !signal.aborted;
    } catch (err) {
      logger.error(`pre_promote failed: ${errorMessage(err)}`);
      return false;
    } finally {
      slot.setCancellable(false);
    }
  }

  private async writeHistory(timeline: number): Promise<void> {
    const { pg, dcs, runtime, name } = this.d;
    const file = timeline <= 1 ? null : await pg.readTimelineHistory(timeline);
    await orFalse(dcs.setHistoryValue(buildHistory(file, timeline, runtime.cluster, name)));
  }

  private async checkpoint(): Promise<void> {
    const { pg, runtime, logger } = this.d;
    try {
      await pg.checkpoint();
      const rows = await pg.ctx.conn.query<{ tl: number }>(
        'SELECT timeline_id AS tl FROM pg_catalog.pg_control_checkpoint()',
      );
      runtime.checkpointTimeline = rows[0]?.tl ?? null;
      this.d.dcs.wakeup();
    } catch (err) {
      logger.warning(`post-promote CHECKPOINT failed: ${errorMessage(err)}`);
    }
  }

  private async cancelBootstrap(): Promise<never> {
    const { dcs, pg, logger } = this.d;
    logger.info('removing initialize key after failed attempt to bootstrap the cluster');
    await orFalse(dcs.cancelInitialization());
    await pg.stop({ mode: 'immediate' }).catch(() => false);
    await pg.moveDataDirectoryAside().catch(() => '');
    throw new FatalExit(1, 'Failed to bootstrap cluster');
  }
}
