import { readFileSync } from 'node:fs';
import { parseRestApiOptions } from '../api/options.js';
import { RestApiServer, apiUrl } from '../api/server.js';
import { loadDynamicCache } from '../config/dynamic-cache.js';
import type { ConfigSource } from '../config/load.js';
import type { PatroniConfig } from '../config/schema.js';
import type { LocalFacts } from '../core/ha/input.js';
import { initialMemory } from '../core/ha/memory.js';
import { parseStandbyCluster } from '../core/ha/standby.js';
import type { LocalPgState } from '../core/model/local-pg.js';
import type { MemberRole } from '../core/model/member.js';
import { createDcs, type Dcs, type DcsConfig } from '../dcs/index.js';
import { Postgresql } from '../postgres/postgresql.js';
import { NodeCommandRunner } from '../process/runner.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { errorMessage } from '../shared/errors.js';
import type { PatroniLogger } from '../shared/log/patroni-logger.js';
import { DaemonApi } from './api-context.js';
import { CycleMetrics } from './cycle-metrics.js';
import type { Decision } from '../core/ha/decision.js';
import { meteredDcs } from '../metrics/dcs-metered.js';
import { leaseRemainingSeconds } from '../metrics/lease.js';
import { DaemonMetrics } from '../metrics/registry.js';
import { AsyncSlot } from './async-slot.js';
import { HaCycle } from './cycle.js';
import { dynamicFrom, effectiveFrom, waitForCluster } from './dynamic-config.js';
import { ConfigApplier, pgExtras } from './config-apply.js';
import { Executor, FatalExit } from './executor.js';
import { PeerClient } from './peer-client.js';
import { peerClientOptions } from './wiring/peer-options.js';
import { NodeRuntime } from './runtime.js';
import { LoopScheduler } from './scheduler.js';
import { shutdown } from './shutdown.js';
import type { SystemdNotifier } from './systemd-notify.js';
import { ReplicationSlots } from './slots.js';
import { selfIdentity } from './wiring/identity.js';
import { bootstrapOptions, postgresOptions } from '../config/to-options.js';
import { hasLeaderlessReplicaMethod } from './wiring/replica-methods.js';
import { resolvePgOwner } from './wiring/os-user.js';
import { createLease } from './lease/wiring.js';
import { Watchdog, createWatchdogDevice, watchdogSettings } from '../watchdog/index.js';

/** Patroni's role of a data directory found at start-up (spec/core.md §4.0 step 4). */
function initialRole(pg: LocalPgState): MemberRole {
  if (pg.dataDirEmpty) return 'uninitialized';
  if (pg.accepting) return pg.inRecovery === true ? 'replica' : 'primary';
  return pg.clusterState === 'in production' ? 'demoted' : 'replica';
}

/**
 * How long a pg_rewind capability answer is kept: the probe spawns pg_rewind and pg_controldata,
 * and a yes (binary present, wal_log_hints or checksums) changes only with the data directory,
 * so it is kept long (idle CPU is a figure operators compare); a no is re-checked soon, because
 * a node that has just been cloned must be able to rewind when it next diverges.
 */
const REWIND_YES_TTL_MS = 600_000;
const REWIND_NO_TTL_MS = 30_000;

/**
 * The composition root: builds the DCS client, the PostgreSQL controller, the REST API and the
 * HA loop from patroni.yml, runs the loop until SIGTERM, then shuts down like Patroni.
 */
export class Daemon {
  private stopping = false;
  private readonly clock: Clock = systemClock;
  /** The last pg_rewind capability answer; `pgAnswered`: PostgreSQL had answered by then. */
  private canRewind = { value: false, at: -Infinity, pgAnswered: false };
  private applier: ConfigApplier | null = null;
  /** The series patroni-ts adds to /metrics (README "Metrics"). */
  private readonly metrics: DaemonMetrics;
  private runtime: NodeRuntime | null = null;

  constructor(
    private readonly config: PatroniConfig,
    private readonly source: ConfigSource,
    private readonly logger: PatroniLogger,
    private readonly notifier: SystemdNotifier | null = null,
  ) {
    // The lease gauge reads the keeper through the runtime once there is one (runWith builds it).
    this.metrics = new DaemonMetrics(config.scope, config.name, () =>
      leaseRemainingSeconds(this.runtime?.leaseRemainingMs?.() ?? null),
    );
  }

  async run(): Promise<number> {
    const { config, logger, clock } = this;
    const metrics = this.metrics;
    const dcs = meteredDcs(
      await createDcs(config as unknown as DcsConfig, logger.child('dcs')),
      (op, seconds, ok) => {
        metrics.observeDcs(op, seconds, ok);
      },
    );
    process.once('SIGTERM', () => {
      this.stop(dcs);
    });
    process.once('SIGINT', () => {
      this.stop(dcs);
    });
    try {
      const cluster = await waitForCluster(
        dcs,
        logger,
        (ms) => clock.sleep(ms),
        () => this.stopping,
      );
      if (cluster === null) return 0;
      const cached = await loadDynamicCache(config.postgresql.data_dir);
      return await this.runWith(dcs, dynamicFrom(cluster, config, cached));
    } finally {
      await dcs.close();
    }
  }

  private isStopping(): boolean {
    return this.stopping;
  }

  private stop(dcs: Dcs): void {
    if (!this.stopping) this.notifier?.stopping();
    this.stopping = true;
    dcs.wakeup();
  }

  private async runWith(dcs: Dcs, dynamic: Readonly<Record<string, unknown>>): Promise<number> {
    const { config, logger, clock } = this;
    const effective = effectiveFrom(config, dynamic, logger);
    dcs.setTiming(effective.ha);
    const watchdog = new Watchdog(
      watchdogSettings(config.watchdog, effective.ha),
      createWatchdogDevice,
      logger.child('watchdog'),
    );
    if (watchdog.unsupported) {
      logger.error(
        'Configuration requires a watchdog, but watchdog is not supported on this platform.',
      );
      return 1;
    }
    const owner = resolvePgOwner(config.postgresql.data_dir);
    const pgOptions = postgresOptions(config, effective, pgExtras(owner));
    const pg = new Postgresql(pgOptions, { runner: new NodeCommandRunner(), logger, clock });
    const observed = await pg.observe();
    // The first cycles decide whether a crashed or demoted node is checked for divergence (and
    // rewound): with the answer still unknown they would leave that to a later cycle.
    if (!observed.dataDirEmpty) await this.probeRewind(pg);
    const restOptions = parseRestApiOptions(config.restapi);
    const runtime = new NodeRuntime(
      selfIdentity(config, apiUrl(restOptions)),
      initialMemory(initialRole(observed)),
      effective,
      dynamic,
      observed,
    );
    this.runtime = runtime;
    const slot = new AsyncSlot(
      logger,
      () => clock.now(),
      () => {
        dcs.wakeup();
      },
    );
    const lease = createLease({ dcs, pg, runtime, clock, logger });
    runtime.leaseRemainingMs = () => lease.keeper.view().remainingMs;
    const peers = new PeerClient(peerClientOptions(config, restOptions, 2000), (p) =>
      readFileSync(p),
    );
    const executor = new Executor({
      dcs,
      pg,
      slot,
      runtime,
      logger,
      name: config.name,
      bootstrap: bootstrapOptions(config),
      sleep: (ms) => clock.sleep(ms),
      prePromote: config.postgresql.pre_promote,
      watchdog,
      lease: lease.keeper,
    });
    const api = new DaemonApi({
      dcs,
      pg,
      runtime,
      slot,
      executor,
      peers,
      clock,
      logger,
      scope: config.scope,
    });
    const cycle = new HaCycle({
      dcs,
      pg,
      peers,
      slot,
      executor,
      runtime,
      clock,
      logger,
      local: () => this.localFacts(pg, runtime),
      failsafePing: () => api.failsafePing,
      watchdog,
      slots: new ReplicationSlots(pg, slot, logger),
      lease: lease.keeper,
      afterObserve: lease.afterObserve,
    });
    const server = new RestApiServer({
      options: restOptions,
      context: api,
      log: logger.child('restapi'),
      metrics: this.metrics,
    });
    await server.start();
    const applier = new ConfigApplier(config, {
      source: this.source,
      dcs,
      pg,
      runtime,
      logger,
      server,
      watchdog,
    });
    this.applier = applier;
    process.on('SIGHUP', () => {
      runtime.reloadRequested = true;
      dcs.wakeup();
    });
    try {
      return await this.loop(dcs, applier, cycle, runtime);
    } finally {
      await shutdown({ dcs, pg, slot, runtime, clock, logger, watchdog, lease: lease.keeper });
      lease.keeper.release();
      await server.stop();
      await pg.close();
    }
  }

  private async probeRewind(pg: Postgresql): Promise<void> {
    const pgAnswered = pg.ctx.observed !== null;
    const value = await pg.canRewind().catch(() => false);
    this.canRewind = { value, at: this.clock.now(), pgAnswered };
  }

  private localFacts(pg: Postgresql, runtime: NodeRuntime): LocalFacts {
    const config = this.applier?.current ?? this.config;
    const now = this.clock.now();
    const ttl = this.canRewind.value ? REWIND_YES_TTL_MS : REWIND_NO_TTL_MS;
    const pgAnswered = pg.ctx.observed !== null;
    // A no from before PostgreSQL first answered (no data directory yet, a clone under way)
    // says nothing of the data directory it runs on now: asked again at once, not in 30 s.
    const firstAnswer = !this.canRewind.value && pgAnswered && !this.canRewind.pgAnswered;
    if (now - this.canRewind.at > ttl || firstAnswer) {
      this.canRewind.at = now;
      this.canRewind.pgAnswered = pgAnswered;
      void pg.canRewind().then(
        (v) => (this.canRewind.value = v),
        () => undefined,
      );
    }
    return {
      bootstrapConfigured: config.bootstrap !== undefined,
      replicaMethodWithoutLeader: hasLeaderlessReplicaMethod(pg.options),
      canRewind: this.canRewind.value,
      // Before the DCS holds a `config` (a new standby cluster), bootstrap.dcs or the cached copy
      // says whether this is a standby cluster; the core prefers the DCS key once it exists.
      standbyCluster: parseStandbyCluster(runtime.dynamicConfig['standby_cluster']),
    };
  }

  private async loop(
    dcs: Dcs,
    applier: ConfigApplier,
    cycle: HaCycle,
    runtime: NodeRuntime,
  ): Promise<number> {
    const { logger, clock } = this;
    const scheduler = new LoopScheduler(clock, logger);
    const measured = new CycleMetrics(this.metrics, logger);
    while (!this.stopping) {
      if (runtime.reloadRequested) {
        runtime.reloadRequested = false;
        await applier.reload();
      }
      const started = clock.now();
      let decision: Decision | null = null;
      try {
        decision = await cycle.run();
        this.notifier?.cycleDone(decision.info);
      } catch (err) {
        if (err instanceof FatalExit) {
          logger.error(err.message);
          return err.exitCode;
        }
        logger.error(
          `Unexpected exception raised, please report it as a BUG: ${errorMessage(err)}`,
        );
      } finally {
        const seconds = (clock.now() - started) / 1000;
        measured.cycleDone(seconds, decision, runtime.cluster, clock.wallNow());
      }
      await applier.afterCycle();
      // SIGTERM may have arrived during the cycle (the handler flips the flag asynchronously).
      if (this.isStopping()) break;
      // A node that was primary, or that has a new upstream, is checked for divergence (and
      // rewound) by the cycle after the one that armed the check.
      if (scheduler.runAgainNow(runtime.memory.rewind === 'check')) continue;
      const loopWait = runtime.effective.ha.loopWait;
      runtime.nextRunAtMs = clock.wallNow() + loopWait * 1000;
      await scheduler.waitForNextCycle(loopWait, (ms) => this.wait(dcs, runtime, ms));
    }
    return 0;
  }

  /**
   * Sleeps until the next cycle or an early wake-up. A broken watch must never end the daemon:
   * it degrades to a plain sleep of the remaining time.
   */
  private async wait(dcs: Dcs, runtime: NodeRuntime, ms: number): Promise<boolean> {
    try {
      return await dcs.watch(this.watchIndex(runtime), ms);
    } catch (err) {
      this.logger.warning(`watch failed, sleeping instead: ${errorMessage(err)}`);
      await this.clock.sleep(ms);
      return false;
    }
  }

  /** Watch the leader key only as a follower with nothing in flight (spec/core.md §4.1). */
  private watchIndex(runtime: NodeRuntime): number | null {
    const leader = runtime.cluster?.leader ?? null;
    if (leader === null || leader.name === this.config.name) return null;
    return leader.index;
  }
}
