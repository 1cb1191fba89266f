import { parseLsn } from '../core/model/lsn.js';
import { orFalse, type Dcs } from '../dcs/index.js';
import { controlData } from '../postgres/controldata.js';
import type { Postgresql } from '../postgres/postgresql.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/log/logger.js';
import type { AsyncSlot } from './async-slot.js';
import type { NodeRuntime } from './runtime.js';
import { leaveSyncDuty } from './sync-duty.js';
import type { WatchdogPort } from './watchdog-port.js';
import type { LeaseHooks } from './lease/keeper.js';

export interface ShutdownDeps {
  readonly dcs: Dcs;
  readonly pg: Postgresql;
  readonly slot: AsyncSlot;
  readonly runtime: NodeRuntime;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly watchdog?: WatchdogPort | undefined;
  /** Keeps the lock alive while PostgreSQL shuts down; stopped before the lock is released. */
  readonly lease?: LeaseHooks | undefined;
}

/**
 * `Ha.shutdown` (spec/core.md §7.3): stop PostgreSQL `fast` and, when we held the lock, release
 * it with the shutdown checkpoint as `/status.optime`, so a replica can take over at once
 * instead of waiting for the TTL. A synchronous standby first leaves its duty (§8.7). In pause
 * nothing is touched.
 */
export async function shutdown(d: ShutdownDeps): Promise<void> {
  const { runtime, logger, pg, dcs } = d;
  const paused = runtime.cluster?.config?.data['pause'] === true;
  if (paused) {
    logger.info('Leader key is not deleted and Postgresql is not stopped due paused state');
    d.watchdog?.disable();
    return;
  }
  d.slot.cancel();
  await d.slot.idle(100);
  const wasLeader = runtime.memory.leaderUntil > d.clock.now();
  if (!wasLeader) await leaveSyncDuty(d);
  const stopped = await pg.stop({ mode: 'fast' }).catch(() => false);
  if (!stopped) {
    // An armed watchdog stays armed: a primary we could not stop still needs guarding.
    const armed = d.watchdog?.running === true ? ' Leaving watchdog running.' : '';
    logger.error(`PostgreSQL shutdown failed, leader key not removed.${armed}`);
    return;
  }
  d.watchdog?.disable();
  d.lease?.release();
  if (!wasLeader) return;
  let lsn: number | null;
  try {
    lsn = parseLsn((await controlData(pg.ctx))['Latest checkpoint location'] ?? '');
  } catch {
    lsn = null;
  }
  if (await orFalse(dcs.deleteLeader(lsn))) logger.info('Leader key released');
}
