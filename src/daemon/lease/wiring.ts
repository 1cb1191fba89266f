import { isPaused } from '../../core/model/cluster.js';
import type { LocalPgState } from '../../core/model/local-pg.js';
import type { Dcs } from '../../dcs/index.js';
import type { Clock } from '../../shared/clock.js';
import { errorMessage } from '../../shared/errors.js';
import type { Logger } from '../../shared/log/logger.js';
import type { NodeRuntime } from '../runtime.js';
import { CommitGate, type GatePg } from './gate.js';
import { LeaseGuardian } from './guardian.js';
import { LeaseKeeper, type FencePolicy } from './keeper.js';

/** A PostgreSQL that may be acknowledging commits: running, and not known to be a replica. */
function maybePrimary(pg: LocalPgState): boolean {
  return pg.postmasterRunning && pg.inRecovery !== true;
}

/** Patroni's rules for a leader that loses its lock, as a fence policy. */
function policyOf(runtime: NodeRuntime): FencePolicy {
  const paused = runtime.cluster !== null ? isPaused(runtime.cluster) : runtime.memory.wasPaused;
  if (paused || !maybePrimary(runtime.pg)) return 'none';
  return runtime.effective.ha.failsafeMode ? 'failsafe' : 'gate';
}

/** Another member without nofailover is in the cluster: someone could be promoted. */
function othersCanTakeOver(runtime: NodeRuntime): boolean {
  const members = runtime.cluster?.members ?? [];
  return members.some((m) => m.name !== runtime.self.name && !m.tags.nofailover);
}

/** What the guardian needs of PostgreSQL (postgresql.ts). */
export interface GuardedPg {
  readonly dataDir: string;
  postmasterPid(): number | null;
}

export interface LeaseParts {
  readonly keeper: LeaseKeeper;
  readonly gate: CommitGate;
  /** For HaCycle: lifts the fence (and reopens the gate) once PostgreSQL is no longer primary. */
  readonly afterObserve: (pg: LocalPgState) => Promise<void>;
}

/** The lease keeper and commit gate of one daemon, wired to its DCS, PostgreSQL and loop. */
export function createLease(d: {
  readonly dcs: Dcs;
  readonly pg: GatePg & Partial<GuardedPg>;
  readonly runtime: NodeRuntime;
  readonly clock: Clock;
  readonly logger: Logger;
}): LeaseParts {
  const gate = new CommitGate(d.pg, d.logger, () => d.clock.now());
  const { dataDir } = d.pg;
  const guardian =
    dataDir === undefined
      ? undefined
      : new LeaseGuardian({
          dataDir,
          postmasterPid: () => d.pg.postmasterPid?.() ?? null,
          logger: d.logger,
        });
  const keeper = new LeaseKeeper({
    clock: d.clock,
    logger: d.logger,
    renew: () => d.dcs.renewLeaderLease(),
    timing: () => d.runtime.effective.ha,
    policy: () => policyOf(d.runtime),
    closeGate: () => gate.close(),
    openGate: () => gate.reopen('(the leader lease was renewed in time)'),
    wakeLoop: () => {
      d.dcs.wakeup();
    },
    ...(guardian === undefined ? {} : { guardian }),
    othersCanTakeOver: () => othersCanTakeOver(d.runtime),
  });
  const afterObserve = async (pg: LocalPgState): Promise<void> => {
    keeper.settle(maybePrimary(pg));
    // While gated the keeper itself reopens the gate (a confirmed renewal) or fences.
    if (!gate.closed || keeper.mustDemote || keeper.view().gated) return;
    await gate.reopen().catch((err: unknown) => {
      d.logger.error(`reopening the commit gate failed: ${errorMessage(err)}`);
    });
  };
  return { keeper, gate, afterObserve };
}
