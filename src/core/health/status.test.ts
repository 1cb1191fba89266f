import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clusterOf, primaryView, replicaView } from './fixtures.js';
import { statusDocument } from './status.js';
import { EMPTY_SYNC } from '../model/cluster.js';

describe('status document', () => {
  it('primary: fields and key order of the observed 3.0.2 document', () => {
    const view = primaryView({
      pg: {
        ...primaryView().pg,
        replication: [
          {
            pid: 1,
            usename: 'replicator',
            applicationName: 'node3',
            clientAddr: '127.0.0.1',
            state: 'streaming',
            syncState: 'async',
            syncPriority: 0,
            writeLsn: null,
            flushLsn: null,
            replayLsn: null,
          },
        ],
      },
    });
    const doc = statusDocument(view);
    assert.deepEqual(Object.keys(doc), [
      'state',
      'postmaster_start_time',
      'role',
      'server_version',
      'xlog',
      'timeline',
      'replication',
      'dcs_last_seen',
      'database_system_identifier',
      'patroni',
    ]);
    assert.equal(doc['role'], 'master');
    assert.deepEqual(doc['xlog'], { location: 67111792 });
    assert.deepEqual(doc['replication'], [
      {
        usename: 'replicator',
        application_name: 'node3',
        client_addr: '127.0.0.1',
        state: 'streaming',
        sync_state: 'async',
        sync_priority: 0,
      },
    ]);
    assert.deepEqual(doc['patroni'], { version: '3.0.2', scope: 'batman' });
  });

  it('sync replica: xlog of a replica and sync_standby before timeline', () => {
    const cluster = clusterOf({ sync: { ...EMPTY_SYNC, syncStandbys: ['node2'] } });
    const doc = statusDocument(replicaView({ cluster, synchronousMode: true }));
    assert.deepEqual(Object.keys(doc).slice(0, 7), [
      'state',
      'postmaster_start_time',
      'role',
      'server_version',
      'xlog',
      'sync_standby',
      'timeline',
    ]);
    assert.deepEqual(doc['xlog'], {
      received_location: 67111792,
      replayed_location: 67111792,
      replayed_timestamp: '2026-11-22 03:02:18.940165+00:00',
      paused: false,
    });
  });

  it('optional flags in Patroni order after dcs_last_seen', () => {
    const doc = statusDocument(
      replicaView({
        cluster: null,
        failsafeActive: true,
        effectiveTags: { nofailover: true },
        pg: { ...replicaView().pg, pendingRestart: true },
        scheduledRestart: { schedule: '2030-01-01T00:00:00+00:00', role: 'replica' },
        watchdogHealthy: false,
        paused: true,
      }),
    );
    assert.deepEqual(Object.keys(doc).slice(6), [
      'cluster_unlocked',
      'failsafe_mode_is_active',
      'dcs_last_seen',
      'tags',
      'database_system_identifier',
      'pending_restart',
      'patroni',
      'scheduled_restart',
      'watchdog_failed',
      'pause',
    ]);
    assert.deepEqual(doc['scheduled_restart'], {
      schedule: '2030-01-01T00:00:00+00:00',
      role: 'replica',
    });
  });

  it("the leader's lease_remaining (ours) comes last, after Patroni's keys", () => {
    const doc = statusDocument(primaryView({ leaseRemaining: 4.2, paused: true }));
    assert.deepEqual(Object.keys(doc).slice(-3), ['patroni', 'pause', 'lease_remaining']);
    assert.equal(doc['lease_remaining'], 4.2);
    assert.equal('lease_remaining' in statusDocument(primaryView({ leaseRemaining: null })), false);
  });

  it('postgres down: state and Patroni role only; running without answer is unknown', () => {
    const down = primaryView({
      pg: { ...primaryView().pg, state: 'stopped', accepting: false, postmasterRunning: false },
      role: 'demoted',
    });
    const doc = statusDocument(down);
    assert.equal(doc['state'], 'stopped');
    assert.equal(doc['role'], 'demoted');
    assert.equal(doc['xlog'], undefined);
    const silent = primaryView({ pg: { ...primaryView().pg, accepting: false } });
    assert.equal(statusDocument(silent)['state'], 'unknown');
    assert.equal(statusDocument(silent)['role'], 'master');
  });

  it('timestamps as PostgreSQL prints them are shown as Python prints them', () => {
    const v = replicaView({
      pg: { ...replicaView().pg, postmasterStartTime: '2026-11-22 02:58:04+00' },
      replayedTimestamp: '2026-11-22 03:02:18.94+01',
    });
    const doc = statusDocument(v);
    assert.equal(doc['postmaster_start_time'], '2026-11-22 02:58:04+00:00');
    assert.equal(
      (doc['xlog'] as Record<string, unknown>)['replayed_timestamp'],
      '2026-11-22 03:02:18.940000+01:00',
    );
  });

  it('standby cluster: a replica reports the Patroni role', () => {
    const v = replicaView({ standbyCluster: true, role: 'standby_leader', isLeader: true });
    assert.equal(statusDocument(v)['role'], 'standby_leader');
  });
});
