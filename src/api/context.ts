import type { NodeView } from '../core/health/node-view.js';
import type { RestartRequest } from '../core/health/restart-request.js';
import type { ClusterSnapshot } from '../core/model/cluster.js';
import type { Journal } from '../core/journal/journal.js';
import type { WhatIfAnswer } from '../core/journal/what-if.js';
import type { Member } from '../core/model/member.js';

/** The `failover` key as the API writes it; all null clears a request. */
export interface FailoverValue {
  readonly leader: string | null;
  readonly candidate: string | null;
  /** Python isoformat with offset, e.g. `2030-01-01T00:00:00+00:00`. */
  readonly scheduledAt: string | null;
}

/** The answer of an immediate restart: `ok` maps to 200, otherwise 503; message is the body. */
export interface RestartOutcome {
  readonly ok: boolean;
  /** e.g. `restarted successfully`, `restart conditions are not satisfied`. */
  readonly message: string;
}

/**
 * What the REST API needs from the daemon, and nothing more (the daemon implements it). Reads
 * for health checks go through `view()` only; the DCS is touched only by endpoints that Patroni
 * also reads fresh (`/cluster`, config writes, switchover) and a throw there becomes a 500/503.
 */
export interface ApiContext {
  /**
   * The current snapshot of this node; cheap, called on every request. It may return the same
   * object again while nothing in it changed: replies rendered from it are then reused.
   */
  view(): NodeView;
  /**
   * The view with PostgreSQL's state read no more than a second ago (one query shared by all
   * requests in that second), for `/patroni` and `/metrics`, which Patroni answers from a query
   * per request. Never throws: when PostgreSQL does not answer it is `view()`.
   */
  freshView(): Promise<NodeView>;
  /** A fresh read of the cluster from the DCS. Throws a PatroniError when unreachable. */
  getCluster(): Promise<ClusterSnapshot>;
  /** Writes the `config` key; with `index`, only if it still has that revision (CAS). */
  setConfigValue(config: Readonly<Record<string, unknown>>, index?: number): Promise<boolean>;
  /** Writes the `failover` key; with `index`, only if it still has that revision (CAS). */
  setFailoverValue(value: FailoverValue, index?: number): Promise<boolean>;
  /**
   * Asks the members' REST APIs for their status and says whether at least one could take over
   * (Patroni's `fetch_nodes_statuses` + `failover_limitation() is None`).
   */
  anyHealthyCandidate(members: readonly Member[]): Promise<boolean>;
  /** Immediate restart with the request's conditions (role, version, pending restart, timeout). */
  restart(request: RestartRequest): Promise<RestartOutcome>;
  /** Stores a scheduled restart; false when another one is already scheduled. */
  scheduleRestart(request: RestartRequest & { readonly schedule: string }): boolean;
  /** Drops the scheduled restart; false when none was scheduled. */
  deleteScheduledRestart(): boolean;
  /** Same as SIGHUP: re-read the configuration on the next cycle. */
  reload(): void;
  /** Starts reinitializing this replica; null when started, else Patroni's refusal sentence. */
  reinitialize(force: boolean): Promise<string | null>;
  /**
   * A primary's failsafe ping (`{name, conn_url, api_url, slots?}`): null when accepted, else the
   * refusal sentence (`Running as a leader`), answered with 500.
   */
  updateFailsafe(body: Readonly<Record<string, unknown>>): string | null;
  /** Runs the HA loop now instead of after loop_wait. */
  wakeup(): void;
  /** The decision journal of this member (`GET /journal`); subscribe to it for live updates. */
  journal(): Journal;
  /**
   * What this member would do if the leader died now (`GET /why`): the decision core replayed on
   * its last input without the leader, nothing carried out; null before the first cycle.
   */
  whatIfLeaderDied(): Promise<WhatIfAnswer | null>;
}
