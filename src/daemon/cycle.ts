import { decide } from '../core/ha/decide.js';
import type { Decision } from '../core/ha/decision.js';
import type {
  DcsView,
  FailsafePing,
  HaInput,
  LocalFacts,
  QueryAnswers,
  SelfIdentity,
} from '../core/ha/input.js';
import type { LocalPgState } from '../core/model/local-pg.js';
import type { DecisionRecord } from '../core/journal/entry.js';
import { decisionRecord } from '../core/journal/summarize.js';
import { errorMessage, isPatroniError } from '../shared/errors.js';
import { redactRecord } from './journal-redact.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/log/logger.js';
import type { AsyncSlot } from './async-slot.js';
import type { Executor } from './executor.js';
import { answerQuery, type QueryDeps } from './queries.js';
import type { NodeRuntime } from './runtime.js';
import type { ReplicationSlots } from './slots.js';
import { slotsView } from './slots-view.js';

export interface CycleDeps extends Omit<QueryDeps, 'self'> {
  readonly slot: AsyncSlot;
  readonly executor: Executor;
  readonly runtime: NodeRuntime;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly local: () => LocalFacts;
  readonly failsafePing: () => FailsafePing | null;
  readonly slots: ReplicationSlots;
  /** What PostgreSQL is now, for the lease keeper (a fenced primary that is no longer one). */
  readonly afterObserve?: (pg: LocalPgState) => Promise<void>;
}

/** A query loop that never ends would stall the lock refresh; the core asks a few at most. */
const MAX_ROUNDS = 10;

/**
 * The lease left as the keeper counts it (the one source of lease time, as in GET /patroni and
 * /metrics), in place of the decision's own estimate, when a keeper is wired.
 */
function withKeeperLease(record: DecisionRecord, runtime: NodeRuntime): DecisionRecord {
  if (runtime.leaseRemainingMs === null) return record;
  const left = runtime.leaseRemainingMs();
  return {
    ...record,
    inputs: { ...record.inputs, leaseLeftMs: left !== null && left > 0 ? left : null },
  };
}

/**
 * One HA cycle (spec/core.md §5): read one snapshot, observe PostgreSQL, decide (answering the
 * core's questions), then carry out the plan. DCS and PostgreSQL failures become input, never
 * exceptions, so every failure mode is a row of the decision table.
 */
export class HaCycle {
  private unreachableSince: number | null = null;
  /** The lock holder of the last cycle that saw one: the journal names the lock that was lost. */
  private lastLockOwner: string | null = null;

  constructor(private readonly d: CycleDeps) {}

  /**
   * The whole cycle holds the slot's exclusive section, as Patroni's `run_cycle` holds its async
   * executor's lock: a demotion running in the slot releases the leader key only between two
   * cycles, never between a cycle's read of the lock and its refresh of it. (Interleaved, the
   * refresh re-created the key just released, on ZooKeeper and etcd alike: the old primary got
   * the lock back and the switchover candidate promoted only after a second demotion.)
   */
  run(): Promise<Decision> {
    return this.d.slot.exclusive(() => this.runExclusive());
  }

  private async runExclusive(): Promise<Decision> {
    const { runtime, logger } = this.d;
    // The long action's state is taken once, before anything is awaited: an action that ends
    // while this cycle reads the DCS or PostgreSQL must not look neither running nor finished
    // (a rewind that ended then was planned again: two pg_rewind runs, the second one on a
    // data directory the first left in need of crash recovery). The next cycle absorbs it.
    const slot = this.slotState();
    if (slot.watchdog !== undefined) runtime.watchdogHealthy = slot.watchdog.healthy;
    let view = await this.readCluster();
    runtime.pg = await this.observe();
    await this.d.afterObserve?.(runtime.pg);
    let answers: QueryAnswers = {};
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const input = this.input(view, answers, slot);
      const decision = decide(input);
      if (decision.query === undefined) {
        for (const line of decision.log) logger[line.level](line.message);
        logger.info(decision.info);
        runtime.memory = decision.memory;
        runtime.lastInfo = decision.info;
        // The keeper stops renewing before a release or a demotion starts, not after it ends.
        if (decision.actions.some((a) => a.type === 'demote' || a.type === 'releaseLeaderLock'))
          this.d.lease?.release();
        this.journal(input, decision);
        await this.d.executor.execute(decision.actions);
        if (this.d.slot.current() === null && runtime.pg.state === 'running') {
          await this.d.slots.sync(
            runtime,
            slotsView(view, runtime, this.d.failsafePing(), this.d.clock.now()),
          );
        }
        return decision;
      }
      try {
        answers = await answerQuery(decision.query, answers, {
          ...this.d,
          self: runtime.self,
          publishedSlots: () => this.d.slots.published(runtime),
        });
      } catch (err) {
        if (!isPatroniError(err, 'DCS_UNREACHABLE')) throw err;
        logger.error('Error communicating with DCS');
        view = this.unreachable();
        answers = {};
      }
    }
    throw new Error('the HA core kept asking questions; giving up this cycle');
  }

  /** Keeps the decision in the journal; a journal problem must never stop the HA loop. */
  private journal(input: HaInput, decision: Decision): void {
    const { runtime, clock, logger } = this.d;
    runtime.lastInput = input;
    try {
      const record = redactRecord(decisionRecord(input, decision, this.lastLockOwner));
      runtime.journal.record(withKeeperLease(record, runtime), clock.wallNow());
    } catch (err) {
      logger.debug(`decision journal: ${errorMessage(err)}`);
    }
    const owner = input.dcs.reachable ? (input.dcs.cluster.leader?.name ?? null) : null;
    if (owner !== null) this.lastLockOwner = owner;
  }

  /**
   * The running action and the one that finished since the last cycle, at one instant. A
   * finished task counts as failed when it returned false (e.g. pre_promote refused). The
   * watchdog's state is taken here too, so every decide round of the cycle sees the same.
   */
  private slotState(): SlotSnapshot {
    const f = this.d.slot.takeFinished();
    const watchdog = this.d.watchdog?.view();
    return {
      // A copy already: later changes to the slot do not reach it.
      inFlight: this.d.slot.current(),
      finished: f === null ? null : { action: f.action, ok: f.ok && f.result !== false },
      ...(watchdog === undefined ? {} : { watchdog }),
    };
  }

  private async readCluster(): Promise<DcsView> {
    const { dcs, runtime, clock, logger } = this.d;
    try {
      const cluster = await dcs.getCluster();
      runtime.cluster = cluster;
      runtime.lastCluster = cluster;
      runtime.dcsLastSeenMs = clock.wallNow();
      this.unreachableSince = null;
      return { reachable: true, cluster };
    } catch (err) {
      if (!isPatroniError(err, 'DCS_UNREACHABLE')) throw err;
      logger.error('Error communicating with DCS');
      logger.debug(errorMessage(err));
      return this.unreachable();
    }
  }

  private unreachable(): DcsView {
    this.d.runtime.cluster = null;
    this.unreachableSince ??= this.d.clock.now();
    return { reachable: false, sinceMs: this.unreachableSince };
  }

  private async observe(): Promise<LocalPgState> {
    const { pg, runtime, logger } = this.d;
    try {
      const observed = await pg.observe();
      return { ...observed, checkpointTimeline: runtime.checkpointTimeline };
    } catch (err) {
      logger.error(
        `Error communicating with PostgreSQL. Will try again later: ${errorMessage(err)}`,
      );
      return runtime.pg;
    }
  }

  private input(view: DcsView, answers: QueryAnswers, slot: SlotSnapshot): HaInput {
    const { runtime, clock } = this.d;
    return {
      now: clock.now(),
      wallNow: clock.wallNow(),
      self: runtime.self,
      dcs: view,
      pg: runtime.pg,
      settings: runtime.effective.ha,
      local: this.d.local(),
      memory: runtime.memory,
      inFlight: slot.inFlight,
      finished: slot.finished,
      failsafePing: this.d.failsafePing(),
      scheduledRestart: runtime.scheduledRestart,
      ...(slot.watchdog === undefined ? {} : { watchdog: slot.watchdog }),
      answers,
    };
  }
}

/** What this cycle takes once, at its start: the async slot's state and the watchdog's. */
type SlotSnapshot = Pick<HaInput, 'inFlight' | 'finished' | 'watchdog'>;

export type { SelfIdentity };
