import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clusterAsJson } from './cluster-json.js';
import { clusterOf, memberOf, primaryView, replicaView } from './fixtures.js';
import { paddedVersion, renderMetrics } from './metrics.js';
import { EMPTY_SYNC } from '../model/cluster.js';

describe('cluster_as_json', () => {
  it('matches the observed 3.0.2 shape', () => {
    const json = clusterAsJson(clusterOf());
    assert.deepEqual(json, {
      members: [
        {
          name: 'node1',
          role: 'leader',
          state: 'running',
          api_url: 'http://127.0.0.1:64321/patroni',
          host: '127.0.0.1',
          port: 54321,
          timeline: 1,
        },
        {
          name: 'node2',
          role: 'replica',
          state: 'running',
          api_url: 'http://127.0.0.1:64322/patroni',
          host: '127.0.0.1',
          port: 54322,
          timeline: 1,
          lag: 0,
        },
        {
          name: 'node3',
          role: 'replica',
          state: 'running',
          api_url: 'http://127.0.0.1:64323/patroni',
          host: '127.0.0.1',
          port: 54323,
          timeline: 1,
          lag: 0,
        },
      ],
    });
  });
  it('sorts by name; sync_standby, lag, pause and scheduled switchover', () => {
    const lagging = memberOf('node0', 54320, {
      data: { ...memberOf('node0', 54320).data, xlog_location: 67111792 - 100 },
    });
    const noLsn = memberOf('node4', 54324, {
      connUrl: 'postgres://[::1]:5432/postgres',
      data: { state: 'stopped', conn_url: 'postgres://[::1]:5432/postgres' },
    });
    const json = clusterAsJson(
      clusterOf({
        members: [...clusterOf().members, lagging, noLsn],
        sync: { ...EMPTY_SYNC, syncStandbys: ['node2'] },
        config: { data: { pause: true }, index: 5 },
        failover: {
          leader: 'node1',
          candidate: 'node2',
          scheduledAt: '2030-01-01T00:00:00Z',
          index: 9,
        },
      }),
    );
    const members = json['members'] as Record<string, unknown>[];
    assert.deepEqual(
      members.map((m) => m['name']),
      ['node0', 'node1', 'node2', 'node3', 'node4'],
    );
    assert.equal(members[0]?.['lag'], 100);
    assert.equal(members[2]?.['role'], 'sync_standby');
    assert.equal(members[4]?.['lag'], 'unknown');
    assert.equal(members[4]['host'], '::1');
    assert.equal(json['pause'], true);
    assert.deepEqual(json['scheduled_switchover'], {
      at: '2030-01-01T00:00:00+00:00',
      from: 'node1',
      to: 'node2',
    });
  });
});

describe('metrics', () => {
  it('pads the version', () => {
    assert.equal(paddedVersion('3.0.2'), '030002');
  });
  it('primary: 3.0.2 names, order, labels and quirks', () => {
    const text = renderMetrics(primaryView());
    const samples = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    assert.deepEqual(samples, [
      'patroni_version{scope="batman"} 030002',
      'patroni_postgres_running{scope="batman"} 1',
      'patroni_postmaster_start_time{scope="batman"} 1795316284.375817',
      'patroni_master{scope="batman"} 1',
      'patroni_primary{scope="batman"} 1',
      'patroni_xlog_location{scope="batman"} 67111792',
      'patroni_standby_leader{scope="batman"} 0',
      'patroni_replica{scope="batman"} 0',
      'patroni_sync_standby{scope="batman"} 0',
      'patroni_xlog_received_location{scope="batman"} 0',
      'patroni_xlog_replayed_location{scope="batman"} 0',
      'patroni_xlog_replayed_timestamp{scope="batman"} 0',
      'patroni_xlog_paused{scope="batman"} 0',
      'patroni_postgres_server_version {scope="batman"} 150018',
      'patroni_cluster_unlocked{scope="batman"} 0',
      'patroni_failsafe_mode_is_active{scope="batman"} 0',
      'patroni_postgres_timeline{scope="batman"} 1',
      'patroni_dcs_last_seen{scope="batman"} 1795316324',
      'patroni_pending_restart{scope="batman"} 0',
      'patroni_is_paused{scope="batman"} 0',
    ]);
    assert.match(
      text,
      /^# HELP patroni_version Patroni semver without periods\.\n# TYPE patroni_version gauge\n/,
    );
    assert.match(
      text,
      /# HELP patroni_failsafe_mode_is_active Value is 1 if the cluster is unlocked, 0 if locked\./,
    );
    assert.match(text, /# TYPE patroni_postgres_timeline counter/);
    assert.ok(text.endsWith('\n'));
  });
  it('replica: received/replayed positions and timestamp', () => {
    const text = renderMetrics(replicaView());
    assert.match(text, /^patroni_replica\{scope="batman"\} 1$/m);
    assert.match(text, /^patroni_xlog_replayed_location\{scope="batman"\} 67111792$/m);
    assert.match(text, /^patroni_xlog_replayed_timestamp\{scope="batman"\} 1795316538\.940165$/m);
  });
});
