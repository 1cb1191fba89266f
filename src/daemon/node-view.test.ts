import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SelfIdentity } from '../core/ha/input.js';
import { NO_TAGS } from '../core/model/tags.js';
import { buildNodeView } from './node-view.js';
import type { NodeRuntime } from './runtime.js';

const SELF = { name: 'node2', version: '3.0.2', tags: NO_TAGS } as unknown as SelfIdentity;

/** Only the fields buildNodeView reads. */
function runtime(failsafeMode: boolean, activeSince: number | null): NodeRuntime {
  return {
    effective: {
      pause: false,
      standbyCluster: null,
      ha: { failsafeMode, synchronousMode: false, ttl: 20, loopWait: 2, maximumLagOnFailover: 0 },
    },
    memory: { role: 'replica', leaderUntil: 0, failsafeActiveSince: activeSince },
    cluster: null,
    pg: {},
    dcsLastSeenMs: 0,
    nextRunAtMs: 0,
    scheduledRestart: null,
  } as unknown as NodeRuntime;
}

describe('buildNodeView: failsafe_mode_is_active (Failsafe.is_active, §9.4)', () => {
  it('is true on a replica for ttl after the last POST /failsafe, then false', () => {
    const view = (now: number) => buildNodeView(runtime(true, null), SELF, 'batman', now, 1000);
    assert.equal(view(1000).failsafeActive, true);
    assert.equal(view(20_999).failsafeActive, true);
    assert.equal(view(21_000).failsafeActive, false);
  });

  it('is true on a primary keeping its role through an outage', () => {
    assert.equal(buildNodeView(runtime(true, 5), SELF, 'batman', 10).failsafeActive, true);
  });

  it('is false without pings, and whenever failsafe_mode is off', () => {
    assert.equal(buildNodeView(runtime(true, null), SELF, 'b', 10).failsafeActive, false);
    assert.equal(buildNodeView(runtime(false, 5), SELF, 'b', 10, 9).failsafeActive, false);
  });
});
