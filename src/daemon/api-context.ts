import type { ApiContext, FailoverValue, RestartOutcome } from '../api/context.js';
import type { NodeView } from '../core/health/node-view.js';
import type { RestartRequest } from '../core/health/restart-request.js';
import type { FailsafePing } from '../core/ha/input.js';
import { parsePeerStatus, type PeerStatus } from '../core/ha/peer-status.js';
import type { Journal } from '../core/journal/journal.js';
import { whatIfLeaderDied, type WhatIfAnswer } from '../core/journal/what-if.js';
import type { ClusterSnapshot } from '../core/model/cluster.js';
import type { LocalPgState } from '../core/model/local-pg.js';
import type { Member } from '../core/model/member.js';
import type { Dcs } from '../dcs/index.js';
import type { Postgresql } from '../postgres/postgresql.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/log/logger.js';
import type { AsyncSlot } from './async-slot.js';
import type { Executor } from './executor.js';
import { buildNodeView, sameView } from './node-view.js';
import { withFreshPg, type FreshPgRead } from '../core/health/fresh-view.js';
import { FreshValue } from '../shared/fresh-value.js';
import type { PeerClient } from './peer-client.js';
import type { NodeRuntime } from './runtime.js';
import { restartConditionsMet } from './restart-conditions.js';
import { whileNotSyncStandby } from './sync-duty.js';

export interface DaemonApiDeps {
  readonly dcs: Dcs;
  readonly runtime: NodeRuntime;
  readonly slot: AsyncSlot;
  readonly executor: Executor;
  readonly pg: Postgresql;
  readonly peers: PeerClient;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly scope: string;
}

/** The daemon's side of the REST API: reads from the runtime, commands through the loop. */
export class DaemonApi implements ApiContext {
  /** The last failsafe ping from a primary cut off from the DCS (§9.4). */
  failsafePing: FailsafePing | null = null;

  /** The last view handed out: returned again while nothing in it changed (see `view`). */
  private lastView: NodeView | null = null;

  /** The last observation whose postmaster was found dead, and its not-answering form. */
  private gonePg: { readonly from: LocalPgState; readonly pg: LocalPgState } | null = null;

  /** PostgreSQL's state read for the REST API: one query a second at most, shared (item 0). */
  private readonly freshPg: FreshValue<FreshPgRead | null>;

  constructor(private readonly d: DaemonApiDeps) {
    this.freshPg = new FreshValue(
      () => d.pg.queryStatus(),
      FRESH_PG_MAX_AGE_MS,
      () => d.clock.now(),
    );
  }

  /**
   * The view with PostgreSQL as a query found it at most a second ago (Patroni's
   * `get_postgresql_status` per request), so a replica that started streaming shows in the
   * leader's `replication` without waiting for the next cycle. Only while the loop last found
   * PostgreSQL answering; a query that fails or hangs leaves the loop's view.
   */
  async freshView(): Promise<NodeView> {
    if (!this.view().pg.accepting) return this.view();
    const read = await settleWithin(this.freshPg.get(), FRESH_PG_WAIT_MS);
    const view = this.view();
    // The loop may have found PostgreSQL stopped while the query ran: the loop's word wins.
    if (read === null || !view.pg.accepting) return view;
    return withFreshPg(view, read);
  }

  view(): NodeView {
    const { runtime } = this.d;
    const pingAt = this.failsafePing?.receivedAt ?? null;
    const pg = this.livePg(runtime.pg);
    const view = buildNodeView(runtime, runtime.self, this.d.scope, this.d.clock.now(), pingAt, pg);
    // The same object while nothing changed: the REST API reuses replies rendered from it.
    if (this.lastView !== null && sameView(this.lastView, view)) return this.lastView;
    this.lastView = view;
    return view;
  }

  /**
   * The loop's last observation, unless the postmaster that answered it has died since: then
   * PostgreSQL is reported as not answering (state `unknown`), as Patroni's per-request query
   * would find, instead of `running` until the next cycle notices. The same object per
   * observation, so unchanged views stay identical.
   */
  private livePg(observed: LocalPgState): LocalPgState {
    if (!observed.accepting || !this.d.pg.answeredPostmasterGone()) return observed;
    if (this.gonePg?.from !== observed) {
      this.gonePg = {
        from: observed,
        pg: { ...observed, accepting: false, postmasterRunning: false, replication: [] },
      };
    }
    return this.gonePg.pg;
  }

  getCluster(): Promise<ClusterSnapshot> {
    return this.d.dcs.getCluster();
  }

  async setConfigValue(
    config: Readonly<Record<string, unknown>>,
    index?: number,
  ): Promise<boolean> {
    const ok = await this.d.dcs.setConfigValue(config, index);
    if (ok) this.d.dcs.wakeup();
    return ok;
  }

  async setFailoverValue(value: FailoverValue, index?: number): Promise<boolean> {
    const ok = await this.d.dcs.setFailoverValue(
      { leader: value.leader, candidate: value.candidate, scheduledAt: value.scheduledAt },
      index,
    );
    if (ok) this.d.dcs.wakeup();
    return ok;
  }

  async anyHealthyCandidate(members: readonly Member[]): Promise<boolean> {
    const statuses = await Promise.all(
      members
        .filter((m) => m.apiUrl !== null)
        .map(async (m) => parsePeerStatus(await this.d.peers.getStatus(m.apiUrl ?? ''))),
    );
    return statuses.some((s) => s !== null && !s.nofailover && !s.watchdogFailed);
  }

  journal(): Journal {
    return this.d.runtime.journal;
  }

  /** Asks the other members (not the leader: it is the one assumed dead) how they stand now. */
  async whatIfLeaderDied(): Promise<WhatIfAnswer | null> {
    const input = this.d.runtime.lastInput;
    if (input === null) return null;
    const cluster = input.dcs.reachable ? input.dcs.cluster : null;
    const leader = cluster?.leader?.name ?? null;
    const others = (cluster?.members ?? []).filter(
      (m) => m.name !== leader && m.name !== input.self.name && m.apiUrl !== null,
    );
    const answers = await Promise.all(
      others.map(
        async (m) =>
          [m.name, parsePeerStatus(await this.d.peers.getStatus(m.apiUrl ?? ''))] as const,
      ),
    );
    const peers: Record<string, PeerStatus | null> = Object.fromEntries(answers);
    return whatIfLeaderDied(input, peers);
  }

  async restart(request: RestartRequest): Promise<RestartOutcome> {
    const { runtime, slot, pg } = this.d;
    if (!restartConditionsMet(request, runtime)) {
      return { ok: false, message: 'restart conditions are not satisfied' };
    }
    const timeoutMs = request.timeout === undefined ? {} : { timeoutMs: request.timeout * 1000 };
    const started = slot.tryStart('restart', () =>
      whileNotSyncStandby(this.d, async () => (await pg.restart(timeoutMs)) === 'running'),
    );
    if (typeof started === 'string') return { ok: false, message: started };
    this.d.dcs.wakeup();
    const finished = await started;
    return finished.ok && finished.result
      ? { ok: true, message: 'restarted successfully' }
      : { ok: false, message: 'restart failed' };
  }

  scheduleRestart(request: RestartRequest & { readonly schedule: string }): boolean {
    const { runtime } = this.d;
    if (runtime.scheduledRestart !== null) return false;
    runtime.scheduledRestart = {
      schedule: request.schedule,
      ...(runtime.pg.postmasterStartTime === null
        ? {}
        : { postmasterStartTime: runtime.pg.postmasterStartTime }),
      ...(request.role === undefined
        ? {}
        : { role: request.role === 'replica' ? 'replica' : 'primary' }),
      ...(request.postgresVersion === undefined
        ? {}
        : { postgresVersion: request.postgresVersion }),
      ...(request.restartPending === undefined ? {} : { restartPending: request.restartPending }),
      ...(request.timeout === undefined ? {} : { timeout: request.timeout }),
    };
    this.d.dcs.wakeup();
    return true;
  }

  deleteScheduledRestart(): boolean {
    const had = this.d.runtime.scheduledRestart !== null;
    this.d.runtime.scheduledRestart = null;
    return had;
  }

  reload(): void {
    this.d.runtime.reloadRequested = true;
    this.d.dcs.wakeup();
  }

  async reinitialize(force: boolean): Promise<string | null> {
    const { runtime, slot, executor } = this.d;
    const self = runtime.self;
    const cluster = runtime.cluster;
    const leader = cluster?.leader ?? null;
    if (leader === null) return 'Cluster has no leader, can not reinitialize';
    if (leader.name === self.name) return 'I am the leader, can not reinitialize';
    const running = slot.current();
    if (running !== null) {
      if (!force) return `${running.action} already in progress`;
      slot.cancel();
      await slot.idle(100);
      slot.takeFinished();
    }
    const m = leader.member;
    await executor.execute([
      {
        type: 'reinitialize',
        from: { name: m.name, connUrl: m.connUrl, apiUrl: m.apiUrl },
        task: 'reinitialize',
      },
    ]);
    return null;
  }

  updateFailsafe(body: Readonly<Record<string, unknown>>): string | null {
    const { runtime, clock } = this.d;
    if (runtime.memory.leaderUntil > clock.now()) return 'Running as a leader';
    const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
    this.failsafePing = {
      name: str(body['name']) ?? '',
      connUrl: str(body['conn_url']),
      apiUrl: str(body['api_url']),
      receivedAt: clock.now(),
      slots: slotPositions(body['slots']),
    };
    return null;
  }

  wakeup(): void {
    this.d.dcs.wakeup();
  }
}

/** Patroni's REST answers show PostgreSQL as of the request; a second is the bound we allow. */
const FRESH_PG_MAX_AGE_MS = 1000;
/** A query stuck behind a hung PostgreSQL must not hold the request: the loop's view then. */
const FRESH_PG_WAIT_MS = 2000;

/** The value of `work`, or null when it fails or takes longer than `ms`. */
function settleWithin<T>(work: Promise<T | null>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => {
      resolve(null);
    }, ms);
    timer.unref();
  });
  return Promise.race([work.catch(() => null), late]).finally(() => {
    clearTimeout(timer);
  });
}

/** `{name: lsn}` as a primary sends its slot positions; anything else counts as not sent. */
export function slotPositions(value: unknown): Readonly<Record<string, number>> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const out: Record<string, number> = {};
  for (const [name, lsn] of Object.entries(value)) {
    if (typeof lsn === 'number' && Number.isSafeInteger(lsn) && lsn >= 0) out[name] = lsn;
  }
  return out;
}
