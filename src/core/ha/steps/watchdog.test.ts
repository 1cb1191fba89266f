import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EMPTY_CLUSTER } from '../../model/cluster.js';
import {
  cluster,
  input,
  kinds,
  PRIMARY_PG,
  REPLICA_PG,
  replicaStatus,
  run,
  STOPPED_PG,
  type Row,
} from '../test-builders.js';

/** node1 leads with an armed watchdog. */
const armed = { running: true } as const;
const leader: Row = { me: 'node1', watchdog: armed };
const pausedConfig = { data: { pause: true }, index: 5 };

describe('watchdog in the HA cycle (Patroni 3.0.2 ha.py)', () => {
  it('the leader pings the armed watchdog right after refreshing its key', () => {
    const d = run(input(leader));
    assert.equal(d.info, 'no action. I am (node1), the leader with the lock');
    assert.deepEqual(d.rounds, ['refreshLock']);
    assert.deepEqual(kinds(d), ['watchdogKeepalive']);
  });

  it('no keepalive when the refresh failed: the key may be gone', () => {
    const d = run(input(leader), { refresh: false });
    assert.equal(d.info, 'demoted self because failed to update leader lock in DCS');
    assert.deepEqual(kinds(d), ['demote']);
  });

  it('a leader whose watchdog is not armed arms it', () => {
    const d = run(input({ me: 'node1', watchdog: {} }));
    assert.deepEqual(d.rounds, ['refreshLock', 'activateWatchdog']);
    assert.equal(d.info, 'no action. I am (node1), the leader with the lock');
    // Not armed yet when the cycle began: the first ping comes with the next refresh.
    assert.deepEqual(kinds(d), []);
  });

  it('required watchdog cannot be armed on a primary: demote immediately', () => {
    const d = run(input({ me: 'node1', watchdog: {} }), { watchdog: false });
    assert.equal(d.info, 'Demoting self because watchdog could not be activated');
    assert.deepEqual(kinds(d), ['demote']);
    const a = d.actions[0];
    assert.ok(a?.type === 'demote' && a.mode === 'immediate');
    assert.equal(d.memory.leaderUntil, 0);
  });

  it('required watchdog cannot be armed after winning the race: release, do not promote', () => {
    const c = cluster({ leaderName: null });
    const peers = { node3: replicaStatus(50) };
    const d = run(input({ cluster: c, pg: REPLICA_PG, watchdog: {} }), {
      peers,
      watchdog: false,
    });
    assert.deepEqual(d.rounds, ['peerStatus', 'acquireLock', 'activateWatchdog']);
    assert.equal(d.info, 'Not promoting self because watchdog could not be activated');
    assert.deepEqual(kinds(d), ['releaseLeaderLock']);
    assert.equal(d.memory.leaderUntil, 0);
  });

  it('a watchdog with nothing to arm (off, or automatic without device) is not asked', () => {
    const d = run(input({ me: 'node1', watchdog: { inert: true } }));
    assert.deepEqual(d.rounds, ['refreshLock']);
    assert.deepEqual(kinds(d), []);
  });

  it('without a watchdog at all the core plans no watchdog work', () => {
    const d = run(input({ me: 'node1' }));
    assert.deepEqual(d.rounds, ['refreshLock']);
    assert.deepEqual(kinds(d), []);
  });

  it('paused: the armed watchdog is disarmed first, and not armed again', () => {
    const c = cluster({ config: pausedConfig });
    const d = run(input({ ...leader, cluster: c }));
    assert.equal(d.info, 'PAUSE: no action. I am (node1), the leader with the lock');
    assert.equal(kinds(d)[0], 'disableWatchdog');
    assert.ok(!d.rounds.includes('activateWatchdog'));
    const idle = run(input({ me: 'node1', cluster: c, watchdog: {} }));
    assert.ok(!idle.rounds.includes('activateWatchdog'));
    assert.ok(!kinds(idle).includes('disableWatchdog'));
  });

  it('an unusable required watchdog keeps the node out of the leader race', () => {
    const c = cluster({ leaderName: null });
    const d = run(input({ cluster: c, pg: REPLICA_PG, watchdog: { healthy: false } }));
    assert.ok(!d.rounds.includes('acquireLock'));
    assert.ok(
      d.log.some((l) => l.level === 'warning' && l.message === 'Watchdog device is not usable'),
    );
    assert.equal(d.info, 'following a different leader because i am not the healthiest node');
  });

  it('postgres down on the lock holder: disarm before starting it again', () => {
    const d = run(input({ ...leader, pg: STOPPED_PG, memory: { role: 'primary' } }));
    assert.equal(d.info, 'starting as readonly because i had the session lock');
    assert.deepEqual(kinds(d), ['disableWatchdog', 'followLeader']);
  });

  it('bootstrap: the watchdog is armed before the cluster is declared initialized', () => {
    const row: Row = {
      me: 'node1',
      cluster: { ...EMPTY_CLUSTER, initialize: '' },
      pg: PRIMARY_PG,
      memory: { bootstrapping: true, role: 'uninitialized' },
      finished: { action: 'post_bootstrap', ok: true },
      watchdog: {},
    };
    const ok = run(input(row));
    assert.deepEqual(ok.rounds, ['activateWatchdog']);
    assert.equal(ok.info, 'initialized a new cluster');
    const failed = run(input(row), { watchdog: false });
    assert.equal(failed.info, 'Failed to bootstrap cluster');
    assert.deepEqual(kinds(failed), ['cancelBootstrap']);
    assert.ok(
      failed.log.some(
        (l) => l.message === 'Cancelling bootstrap because watchdog activation failed',
      ),
    );
  });

  it('failsafe mode keeps pinging while the primary runs without the DCS', () => {
    const cutOff: Row = {
      me: 'node1',
      cluster: null,
      pg: PRIMARY_PG,
      settings: { failsafeMode: true },
      memory: { role: 'primary', failsafeTopology: { node1: 'x' } },
      watchdog: armed,
    };
    const d = run(input(cutOff));
    assert.deepEqual(kinds(d), ['watchdogKeepalive']);
  });
});
