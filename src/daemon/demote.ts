import type { Action } from '../core/ha/decision.js';
import { parseLsn, type Lsn } from '../core/model/lsn.js';
import { orFalse } from '../dcs/index.js';
import { controlData } from '../postgres/controldata.js';
import { errorMessage } from '../shared/errors.js';
import type { Dcs } from '../dcs/index.js';
import type { Postgresql } from '../postgres/postgresql.js';
import type { Logger } from '../shared/log/logger.js';
import type { WatchdogPort } from './watchdog-port.js';
import { pgFollowTarget } from './follow-target.js';
import type { LeaseHooks } from './lease/keeper.js';

/**
 * An offline demotion's wait for standbys to confirm the shutdown checkpoint, once it is written
 * (stop.ts `walsenderWaitMs`). Standbys that can be reached confirm within milliseconds. The WAL
 * they miss stays on disk here: they get it when this node leads again, and if one of them is
 * promoted instead it is rewound away here, as it would have been had the cut simply lasted.
 */
const OFFLINE_WALSENDER_WAIT_MS = 3000;

type Demote = Extract<Action, { type: 'demote' }>;

/** What a demotion needs; the executor's dependencies satisfy it. */
export interface DemoteDeps {
  readonly dcs: Dcs;
  readonly pg: Postgresql;
  readonly logger: Logger;
  readonly watchdog?: WatchdogPort | undefined;
  /** The lease keeper: stops renewing (and counting) before the key is released. */
  readonly lease?: Pick<LeaseHooks, 'release'> | undefined;
}
type RunTask = (task: string, work: (signal: AbortSignal) => Promise<boolean>) => void;
/** Runs a step between two HA cycles (AsyncSlot.exclusive). */
type BetweenCycles = <T>(step: () => Promise<T>) => Promise<T>;

async function latestCheckpoint(d: DemoteDeps): Promise<Lsn | null> {
  try {
    return parseLsn((await controlData(d.pg.ctx))['Latest checkpoint location'] ?? '');
  } catch {
    return null;
  }
}

/**
 * `Ha.demote(mode)` (spec/core.md §7.1): stop PostgreSQL in the mode's way, release the leader
 * key in the release modes (graceful with the shutdown checkpoint as `/status.optime`, so the
 * candidate knows how far it must have replayed), then start again as a replica.
 */
export async function runDemotion(
  d: DemoteDeps,
  a: Demote,
  runTask: RunTask,
  /** The executor passes the slot's exclusive section; alone (tests), the step just runs. */
  betweenCycles: BetweenCycles = (step) => step(),
): Promise<void> {
  const { pg, dcs, logger } = d;
  const releases = a.mode === 'graceful' || a.mode === 'immediate';
  const stopMode = a.mode === 'offline' || a.mode === 'graceful' ? 'fast' : 'immediate';

  const release = async (): Promise<void> => {
    const lastLsn = a.mode === 'graceful' ? await latestCheckpoint(d) : null;
    // A cycle during the demotion may have refreshed the lock (and restarted the keeper).
    d.lease?.release();
    if (await orFalse(dcs.deleteLeader(lastLsn))) logger.info('Leader key released');
  };
  /** `inCycle`: called by the cycle itself (which holds the exclusive section already). */
  const stopAndRelease = async (inCycle: boolean): Promise<void> => {
    if (a.mode === 'graceful') {
      // A checkpoint before the shutdown makes the shutdown checkpoint itself short.
      await pg.checkpoint().catch((e: unknown) => {
        logger.warning(`CHECKPOINT before demotion failed: ${errorMessage(e)}`);
      });
    }
    // Offline, the standbys may be behind the same cut as the DCS: once the shutdown checkpoint
    // is written, waiting for them to confirm it only keeps the node from restarting as a
    // replica. A switchover (graceful) waits: the candidate must have every record.
    await pg.stop(
      a.mode === 'offline'
        ? { mode: stopMode, walsenderWaitMs: OFFLINE_WALSENDER_WAIT_MS }
        : { mode: stopMode },
    );
    // The safe point: PostgreSQL no longer accepts writes, so a hang from here on is harmless.
    d.watchdog?.disable();
    if (!releases) return;
    // As Patroni's `with self._async_executor:` around the release: a cycle running now read
    // the lock as mine and would refresh it, re-creating the key the candidate is waiting for.
    await (inCycle ? release() : betweenCycles(release));
  };
  const startAsReplica = async (): Promise<boolean> => {
    const outcome = await pg.follow(pgFollowTarget(a.followAfter));
    return outcome === 'running';
  };

  if (a.task !== null) {
    runTask(a.task, async () => {
      await stopAndRelease(false);
      return startAsReplica();
    });
    return;
  }
  await stopAndRelease(true);
  runTask('starting after demotion', startAsReplica);
}
