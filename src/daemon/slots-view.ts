import type { DcsView, FailsafePing } from '../core/ha/input.js';
import { failsafePingFresh, withFailsafePing } from '../core/ha/steps/failsafe.js';
import type { NodeRuntime } from './runtime.js';
import type { SlotsView } from './slots.js';

/**
 * `_sync_replication_slots(dcs_failed)`: the cluster this cycle's slot work follows, and whether
 * missing logical copies may be fetched. In failsafe mode a replica follows the pinging
 * primary's slot positions, and keeps advancing its copies from the last snapshot while the DCS
 * is down; copies wait while a primary relies on failsafe. Without failsafe mode, or as the
 * leader, nothing happens during an outage. `now`: monotonic ms.
 */
export function slotsView(
  view: DcsView,
  runtime: Pick<NodeRuntime, 'effective' | 'lastCluster' | 'memory' | 'self'>,
  ping: FailsafePing | null,
  now: number,
): SlotsView | null {
  const { failsafeMode, ttl } = runtime.effective.ha;
  const cluster = view.reachable ? view.cluster : failsafeMode ? runtime.lastCluster : null;
  if (cluster === null) return null;
  const leader = runtime.memory.leaderUntil > now;
  if (!failsafeMode || leader) return view.reachable ? { cluster, copy: true } : null;
  return {
    cluster: withFailsafePing(cluster, ping, runtime.self.name, now, ttl),
    copy: !failsafePingFresh(ping, now, ttl),
  };
}
