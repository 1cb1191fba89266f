import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DcsView, FailsafePing } from '../core/ha/input.js';
import { cluster } from '../core/ha/test-builders.js';
import type { NodeRuntime } from './runtime.js';
import { slotsView } from './slots-view.js';

const NOW = 1_000_000;
const LAST = cluster({ slots: { dcs_slot_0: 100 } });
const DOWN: DcsView = { reachable: false, sinceMs: NOW - 5000 };
const UP: DcsView = { reachable: true, cluster: LAST };
const PING: FailsafePing = {
  name: 'node1',
  connUrl: 'postgres://h1:5432/postgres',
  apiUrl: 'http://h1/patroni',
  receivedAt: NOW - 2000,
  slots: { dcs_slot_0: 300 },
};

function runtime(failsafeMode: boolean, leaderUntil = 0): NodeRuntime {
  return {
    effective: { ha: { failsafeMode, ttl: 20 } },
    lastCluster: LAST,
    memory: { leaderUntil },
    self: { name: 'node2' },
  } as unknown as NodeRuntime;
}

describe('slotsView (_sync_replication_slots with failsafe mode)', () => {
  it('DCS down, failsafe: a replica advances from the primary ping, without copying', () => {
    const v = slotsView(DOWN, runtime(true), PING, NOW);
    assert.ok(v !== null);
    assert.deepEqual(v.cluster.slots, { dcs_slot_0: 300 });
    assert.equal(v.cluster.leader?.name, 'node1');
    assert.equal(v.copy, false);
  });

  it('DCS down, failsafe, no ping yet: the last snapshot, copies allowed', () => {
    assert.deepEqual(slotsView(DOWN, runtime(true), null, NOW), { cluster: LAST, copy: true });
  });

  it('DCS down without failsafe, or as the leader: no slot work', () => {
    assert.equal(slotsView(DOWN, runtime(false), PING, NOW), null);
    assert.equal(slotsView(DOWN, runtime(true, NOW + 1), PING, NOW), null);
  });

  it('DCS up: the snapshot as read; a fresh ping still wins on a failsafe replica', () => {
    assert.deepEqual(slotsView(UP, runtime(false), PING, NOW), { cluster: LAST, copy: true });
    assert.deepEqual(slotsView(UP, runtime(true), PING, NOW)?.cluster.slots, { dcs_slot_0: 300 });
    const stale = { ...PING, receivedAt: NOW - 20_000 };
    assert.deepEqual(slotsView(UP, runtime(true), stale, NOW), { cluster: LAST, copy: true });
  });
});
