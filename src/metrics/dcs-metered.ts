import type { Dcs } from '../dcs/port.js';

/** Where DCS request timings go (DaemonMetrics.observeDcs). */
export type DcsObserver = (operation: string, seconds: number, ok: boolean) => void;

/**
 * The same DCS, each request timed and counted by operation (Patroni's verb: `get_cluster`,
 * `update_leader`, ...), so every adapter is measured without touching any of them. A call that
 * throws counts as an error; `false` (a lost race, a refused compare-and-swap) is an answer.
 * `watch` is a wait, not a request, and the synchronous methods are passed through untimed.
 */
export function meteredDcs(dcs: Dcs, observe: DcsObserver): Dcs {
  const timed = <A extends unknown[], R>(
    operation: string,
    call: (...args: A) => Promise<R>,
  ): ((...args: A) => Promise<R>) => {
    return async (...args: A): Promise<R> => {
      const started = performance.now();
      try {
        const result = await call(...args);
        observe(operation, (performance.now() - started) / 1000, true);
        return result;
      } catch (err) {
        observe(operation, (performance.now() - started) / 1000, false);
        throw err;
      }
    };
  };
  return {
    name: dcs.name,
    basePath: dcs.basePath,
    getCluster: timed('get_cluster', () => dcs.getCluster()),
    cachedCluster: () => dcs.cachedCluster(),
    initialize: timed('initialize', (createNew: boolean, sysid: string) =>
      dcs.initialize(createNew, sysid),
    ),
    cancelInitialization: timed('cancel_initialization', () => dcs.cancelInitialization()),
    attemptToAcquireLeader: timed('attempt_to_acquire_leader', () => dcs.attemptToAcquireLeader()),
    updateLeader: timed('update_leader', (...a: Parameters<Dcs['updateLeader']>) =>
      dcs.updateLeader(...a),
    ),
    takeLeader: timed('take_leader', () => dcs.takeLeader()),
    // The lease keeper's renewal: its own name, so its rate can be told from the loop's.
    renewLeaderLease: timed('renew_leader_lease', () => dcs.renewLeaderLease()),
    deleteLeader: timed('delete_leader', (...a: Parameters<Dcs['deleteLeader']>) =>
      dcs.deleteLeader(...a),
    ),
    touchMember: timed('touch_member', (...a: Parameters<Dcs['touchMember']>) =>
      dcs.touchMember(...a),
    ),
    setConfigValue: timed('set_config_value', (...a: Parameters<Dcs['setConfigValue']>) =>
      dcs.setConfigValue(...a),
    ),
    setFailoverValue: timed('set_failover_value', (...a: Parameters<Dcs['setFailoverValue']>) =>
      dcs.setFailoverValue(...a),
    ),
    setHistoryValue: timed('set_history_value', (...a: Parameters<Dcs['setHistoryValue']>) =>
      dcs.setHistoryValue(...a),
    ),
    setSyncStateValue: timed('set_sync_state_value', (...a: Parameters<Dcs['setSyncStateValue']>) =>
      dcs.setSyncStateValue(...a),
    ),
    deleteSyncState: timed('delete_sync_state', (...a: Parameters<Dcs['deleteSyncState']>) =>
      dcs.deleteSyncState(...a),
    ),
    writeStatus: timed('write_status', (...a: Parameters<Dcs['writeStatus']>) =>
      dcs.writeStatus(...a),
    ),
    writeFailsafe: timed('write_failsafe', (...a: Parameters<Dcs['writeFailsafe']>) =>
      dcs.writeFailsafe(...a),
    ),
    deleteCluster: timed('delete_cluster', () => dcs.deleteCluster()),
    watch: (leaderIndex, timeoutMs) => dcs.watch(leaderIndex, timeoutMs),
    wakeup: () => {
      dcs.wakeup();
    },
    setTiming: (timing) => {
      dcs.setTiming(timing);
    },
    close: () => dcs.close(),
  };
}
