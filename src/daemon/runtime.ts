import type { EffectiveConfig } from '../core/config/merge.js';
import type { SelfIdentity } from '../core/ha/input.js';
import type { HaMemory } from '../core/ha/memory.js';
import type { ClusterSnapshot } from '../core/model/cluster.js';
import type { LocalPgState } from '../core/model/local-pg.js';
import type { ScheduledRestart } from '../core/model/member.js';
import type { HaInput } from '../core/ha/input.js';
import { Journal } from '../core/journal/journal.js';

/**
 * What the daemon's shell keeps between cycles, next to the core's HaMemory: the facts the REST
 * API serves from and the requests it hands to the loop. Only the loop writes the observed
 * fields; the REST API writes only the request fields (scheduledRestart, reloadRequested,
 * reinitializeRequested).
 */
export class NodeRuntime {
  /** Who we are; a SIGHUP may change the tags (e.g. nofailover) and the addresses. */
  self: SelfIdentity;
  memory: HaMemory;
  effective: EffectiveConfig;
  /** The dynamic configuration we run with (DCS `config`, or bootstrap.dcs before it exists). */
  dynamicConfig: Readonly<Record<string, unknown>>;
  /** The last snapshot the DCS answered with; null before the first or after an outage. */
  cluster: ClusterSnapshot | null = null;
  /**
   * The last snapshot the DCS answered with, kept through an outage (Patroni's `self.cluster`):
   * failsafe mode keeps replication slots moving from it while the DCS is down.
   */
  lastCluster: ClusterSnapshot | null = null;
  pg: LocalPgState;
  /** Epoch ms of the last successful DCS read (`dcs_last_seen`). */
  dcsLastSeenMs = 0;
  /** Epoch ms when the next cycle is due (for /liveness). */
  nextRunAtMs = 0;
  /** Timeline on which our post-promote CHECKPOINT completed (§11.4). */
  checkpointTimeline: number | null = null;
  /** `POST /restart` with a schedule waits here (§16.2). */
  scheduledRestart: ScheduledRestart | null = null;
  /** SIGHUP or `POST /reload` arrived: re-read the configuration before the next cycle. */
  reloadRequested = false;
  /** `Watchdog.is_healthy` as of the last cycle (`watchdog_failed` in the status document). */
  watchdogHealthy = true;
  /** Ms the leader's lease is still valid for (the lease keeper's count); null off the leader. */
  leaseRemainingMs: (() => number | null) | null = null;
  /** The cycle that ran last; for logs of the shutdown path. */
  lastInfo = '';
  /** The input of the last decided cycle: `GET /why` replays it with the leader key gone. */
  lastInput: HaInput | null = null;
  /** Every cycle's decision, changes only (GET /journal, the dashboard, metrics). */
  readonly journal = new Journal();

  constructor(
    self: SelfIdentity,
    memory: HaMemory,
    effective: EffectiveConfig,
    dynamicConfig: Readonly<Record<string, unknown>>,
    pg: LocalPgState,
  ) {
    this.self = self;
    this.memory = memory;
    this.effective = effective;
    this.dynamicConfig = dynamicConfig;
    this.pg = pg;
  }
}
