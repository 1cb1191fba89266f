import type { NodeView } from '../core/health/node-view.js';
import type { SelfIdentity } from '../core/ha/input.js';
import { isPaused } from '../core/model/cluster.js';
import { encodeTags } from '../dcs/codec/tags.js';
import type { NodeRuntime } from './runtime.js';

/** Tags as the view shows them, encoded once per tags object (so equal views compare equal). */
const encoded = new WeakMap<SelfIdentity['tags'], Record<string, unknown>>();

function viewTags(tags: SelfIdentity['tags']): Record<string, unknown> {
  let out = encoded.get(tags);
  if (out === undefined) {
    out = encodeTags(tags);
    encoded.set(tags, out);
  }
  return out;
}

/** Every field of `a` is the same value (or the same object) in `b`. */
export function sameView(a: NodeView, b: NodeView): boolean {
  const x = a as unknown as Record<string, unknown>;
  const y = b as unknown as Record<string, unknown>;
  for (const key of Object.keys(x)) if (x[key] !== y[key]) return false;
  return Object.keys(x).length === Object.keys(y).length;
}

/**
 * The REST API's picture of this node, rebuilt from what the loop last saw. Cheap enough to call
 * per request: no I/O, a few field copies.
 */
export function buildNodeView(
  runtime: NodeRuntime,
  self: SelfIdentity,
  scope: string,
  now: number,
  /** Monotonic ms of the last accepted `POST /failsafe` (replicas), null if none. */
  failsafePingAt: number | null = null,
  /** PostgreSQL as the view reports it; the loop's last observation by default. */
  pg: NodeRuntime['pg'] = runtime.pg,
): NodeView {
  const { effective, memory, cluster } = runtime;
  const tags = viewTags(self.tags);
  return {
    scope,
    name: self.name,
    version: self.version,
    pg,
    replayedTimestamp: null,
    role: memory.role,
    isLeader: memory.leaderUntil > now,
    cluster,
    paused: cluster === null ? effective.pause : isPaused(cluster),
    standbyCluster: effective.standbyCluster !== null,
    synchronousMode: effective.ha.synchronousMode,
    failsafeMode: effective.ha.failsafeMode,
    failsafeActive: effective.ha.failsafeMode && failsafeActive(runtime, now, failsafePingAt),
    tags,
    effectiveTags: tags,
    dcsLastSeen: Math.floor(runtime.dcsLastSeenMs / 1000),
    nextRunAt: runtime.nextRunAtMs,
    ttl: effective.ha.ttl,
    loopWait: effective.ha.loopWait,
    maximumLagOnFailover: effective.ha.maximumLagOnFailover,
    scheduledRestart: runtime.scheduledRestart,
    watchdogHealthy: runtime.watchdogHealthy,
    leaseRemaining: tenths(runtime.leaseRemainingMs?.() ?? null),
  };
}

/**
 * `Failsafe.is_active()` (§9.4): on the primary, while it keeps its role through an outage; on a
 * replica, for `ttl` seconds after the primary's last `POST /failsafe` reached it.
 */
function failsafeActive(runtime: NodeRuntime, now: number, pingAt: number | null): boolean {
  if (runtime.memory.failsafeActiveSince !== null) return true;
  return pingAt !== null && pingAt + runtime.effective.ha.ttl * 1000 > now;
}

/** Ms as seconds to 0.1 s: a view that changes ten times a second, not on every request. */
function tenths(ms: number | null): number | null {
  return ms === null ? null : Math.floor(ms / 100) / 10;
}
