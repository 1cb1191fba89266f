import type { Dcs } from '../../src/dcs/port.js';
import { decide } from '../../src/core/ha/decide.js';
import type { Action, Decision, Query } from '../../src/core/ha/decision.js';
import type {
  DcsView,
  FailsafePing,
  FinishedAction,
  HaInput,
  InFlight,
  QueryAnswers,
} from '../../src/core/ha/input.js';
import { initialMemory, type HaMemory } from '../../src/core/ha/memory.js';
import { parsePeerStatus } from '../../src/core/ha/peer-status.js';
import type { ClusterSnapshot } from '../../src/core/model/cluster.js';
import type { ReplicationRow } from '../../src/core/model/local-pg.js';
import { DEFAULT_HA_SETTINGS } from '../../src/core/model/settings.js';
import { NO_TAGS } from '../../src/core/model/tags.js';
import type { Clock } from '../../src/shared/clock.js';
import { isPatroniError } from '../../src/shared/errors.js';
import { FakePostgres } from './fake-postgres.js';
import { execute } from './mini-executor.js';

/** What the simulation offers a node: peers' REST answers and other nodes' PostgreSQL. */
export interface SimWorld {
  readonly clock: Clock;
  statusOf(name: string): Record<string, unknown> | null;
  pgOf(name: string): FakePostgres | undefined;
  record(event: SimEvent): void;
  /** pg_stat_replication of `name`: the live replicas streaming from it. */
  replicationRowsFor(name: string): ReplicationRow[];
  /** Delivers a `POST /failsafe` to `to`; true when it answered 200 `Accepted`. */
  acceptFailsafe(to: string, from: Omit<FailsafePing, 'receivedAt'>): boolean;
}

export interface SimEvent {
  readonly at: number;
  readonly node: string;
  readonly kind: 'decision' | 'promote' | 'demote' | 'task-done';
  readonly detail: string;
}

interface Task {
  readonly action: string;
  readonly startedAt: number;
  readonly finishAt: number;
  readonly run: () => Promise<boolean>;
}

/** One simulated Patroni: the HA core, a mini executor, an async slot, a FakePostgres. */
export class SimNode {
  memory: HaMemory = initialMemory();
  alive = true;
  nofailover = false;
  synchronousMode = false;
  canRewind = false;
  primaryStartTimeout = DEFAULT_HA_SETTINGS.primaryStartTimeout;
  failsafeMode = false;
  /** The last POST /failsafe this node accepted (what its REST API would keep). */
  failsafePing: FailsafePing | null = null;
  task: Task | null = null;
  private finished: FinishedAction | null = null;
  readonly decisions: Decision[] = [];

  constructor(
    readonly name: string,
    readonly dcs: Dcs,
    readonly world: SimWorld,
    readonly taskMs = 2000,
    readonly pg: FakePostgres = new FakePostgres(),
  ) {}

  get apiUrl(): string {
    return `http://${this.name}:8008/patroni`;
  }

  get connUrl(): string {
    return `postgres://${this.name}:5432/postgres`;
  }

  /** Runs the async slot's task when its time has come. */
  async finishTask(): Promise<void> {
    const t = this.task;
    if (t === null || this.world.clock.now() < t.finishAt) return;
    this.task = null;
    const ok = await t.run();
    this.finished = { action: t.action, ok };
    this.world.record({
      at: this.world.clock.now(),
      node: this.name,
      kind: 'task-done',
      detail: t.action,
    });
  }

  startTask(action: string, run: () => Promise<boolean>): void {
    if (this.task !== null) return;
    const now = this.world.clock.now();
    this.task = { action, startedAt: now, finishAt: now + this.taskMs, run };
  }

  cancelTask(): void {
    if (this.task !== null) this.finished = { action: this.task.action, ok: false };
    this.task = null;
  }

  /** One HA cycle: read the snapshot, decide (answering queries), execute. */
  async cycle(): Promise<Decision> {
    await this.finishTask();
    let view: DcsView;
    let cluster: ClusterSnapshot | null = null;
    try {
      cluster = await this.dcs.getCluster();
      view = { reachable: true, cluster };
    } catch (err) {
      if (!isPatroniError(err, 'DCS_UNREACHABLE')) throw err;
      view = { reachable: false, sinceMs: this.world.clock.now() };
    }
    let answers: QueryAnswers = {};
    for (let round = 0; round < 10; round++) {
      const d = decide(this.input(view, answers));
      if (d.query === undefined) {
        this.finished = null;
        this.memory = d.memory;
        this.decisions.push(d);
        this.world.record({
          at: this.world.clock.now(),
          node: this.name,
          kind: 'decision',
          detail: d.info,
        });
        await execute(this, d.actions, cluster);
        return d;
      }
      try {
        answers = await this.answer(d.query, answers);
      } catch (err) {
        if (!isPatroniError(err, 'DCS_UNREACHABLE')) throw err;
        view = { reachable: false, sinceMs: this.world.clock.now() };
        answers = {};
      }
    }
    throw new Error(`${this.name}: decide kept asking`);
  }

  private input(dcs: DcsView, answers: QueryAnswers): HaInput {
    const t = this.task;
    const inFlight: InFlight | null =
      t === null ? null : { action: t.action, startedAt: t.startedAt, cancellable: false };
    return {
      now: this.world.clock.now(),
      wallNow: this.world.clock.wallNow(),
      self: {
        name: this.name,
        apiUrl: this.apiUrl,
        connUrl: this.connUrl,
        proxyUrl: null,
        tags: { ...NO_TAGS, nofailover: this.nofailover },
        version: '3.0.2',
      },
      dcs,
      pg: { ...this.pg.observe(), replication: this.world.replicationRowsFor(this.name) },
      settings: {
        ...DEFAULT_HA_SETTINGS,
        failsafeMode: this.failsafeMode,
        synchronousMode: this.synchronousMode,
        primaryStartTimeout: this.primaryStartTimeout,
      },
      failsafePing: this.failsafePing,
      local: {
        bootstrapConfigured: true,
        replicaMethodWithoutLeader: false,
        canRewind: this.canRewind,
        standbyCluster: null,
      },
      memory: this.memory,
      inFlight,
      finished: this.finished,
      scheduledRestart: null,
      answers,
    };
  }

  private async answer(q: Query, a: QueryAnswers): Promise<QueryAnswers> {
    switch (q.kind) {
      case 'peerStatus': {
        const peers = { ...a.peers };
        for (const m of q.members) peers[m.name] = parsePeerStatus(this.world.statusOf(m.name));
        return { ...a, peers };
      }
      case 'acquireLock':
        return { ...a, lockAcquired: await this.dcs.attemptToAcquireLeader() };
      case 'refreshLock':
        return { ...a, lockRefreshed: await this.dcs.updateLeader(q.lastLsn, null, q.failsafe) };
      case 'raceInitialize':
        return { ...a, initializeWon: await this.dcs.initialize(true, '') };
      case 'checkDivergence': {
        const leader = this.world.pgOf(q.leader.name);
        if (leader === undefined || !leader.running) return { ...a, divergence: 'unknown' };
        return { ...a, divergence: this.pg.divergedFrom(leader) ? 'need' : 'notNeed' };
      }
      case 'writeSyncState': {
        const value = { leader: q.leader, syncStandbys: q.syncStandbys };
        return {
          ...a,
          syncStateWritten: (await this.dcs.setSyncStateValue(value, q.index)) !== false,
        };
      }
      case 'failsafePing': {
        const ping = { name: this.name, connUrl: this.connUrl, apiUrl: this.apiUrl };
        const ok = q.members.every((m) => this.world.acceptFailsafe(m.name, ping));
        return { ...a, failsafeAccepted: ok };
      }
      case 'activateWatchdog':
        // Simulated nodes have no watchdog (no `watchdog` input), so this is never asked.
        return { ...a, watchdogActivated: true };
    }
  }

  /** Used by the executor; kept here so that tests can count them. */
  note(kind: 'promote' | 'demote', detail: string): void {
    this.world.record({ at: this.world.clock.now(), node: this.name, kind, detail });
  }
}

export type { Action };
