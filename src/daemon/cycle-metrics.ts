import type { Decision } from '../core/ha/decision.js';
import type { ClusterSnapshot } from '../core/model/cluster.js';
import { decisionKind } from '../metrics/decision-kind.js';
import { NO_LEADER_WATCH, watchLeader, type LeaderWatch } from '../metrics/leader-changes.js';
import type { DaemonMetrics } from '../metrics/registry.js';
import type { Logger } from '../shared/log/logger.js';

/** What the loop tells the metrics after each cycle (README "Metrics"). */
export class CycleMetrics {
  private watch: LeaderWatch = NO_LEADER_WATCH;

  constructor(
    private readonly metrics: DaemonMetrics,
    private readonly logger: Logger,
  ) {}

  /**
   * One finished cycle: its duration, its decision's kind (`exception` when it threw), and the
   * leader in the snapshot it read (null when the DCS did not answer: nothing to learn).
   */
  cycleDone(
    seconds: number,
    decision: Decision | null,
    cluster: ClusterSnapshot | null,
    wallNowMs: number,
  ): void {
    this.metrics.observeCycle(seconds, decision === null ? 'exception' : decisionKind(decision));
    if (cluster === null) return;
    const { watch, change } = watchLeader(this.watch, cluster, wallNowMs);
    this.watch = watch;
    if (change === null) return;
    this.metrics.leaderChanged(change);
    this.logger.debug(
      `${change.kind} from ${change.from} to ${change.to} seen, took ${change.durationMs} ms`,
    );
  }
}
