import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clusterOf, memberOf, primaryView, replicaView } from '../../core/health/fixtures.js';
import { dashboardState } from './state.js';

const NOW = Date.parse('2026-12-05T22:00:00Z');

describe('dashboard state', () => {
  it('shows the members as patronictl list does, with the leader and its timeline', () => {
    const s = dashboardState(primaryView(), NOW);
    assert.deepEqual(
      s.members.map((m) => [m.name, m.role, m.state, m.timeline, m.lag]),
      [
        ['node1', 'leader', 'running', 1, null],
        ['node2', 'replica', 'running', 1, 0],
        ['node3', 'replica', 'running', 1, 0],
      ],
    );
    assert.equal(s.leader, 'node1');
    // No promotion yet (empty history): timeline 1, not "unknown".
    assert.equal(s.timeline, 1);
    assert.equal(s.dcsReachable, true);
  });

  it('counts the lease down from the holder’s keeper; elsewhere only the ttl is known', () => {
    // The last DCS read (4 s ago) would say 26 s; the keeper's count (sent-time based) rules.
    const leader = {
      ...primaryView(),
      isLeader: true,
      dcsLastSeen: NOW / 1000 - 4,
      ttl: 30,
      leaseRemaining: 24.5,
    };
    assert.deepEqual(dashboardState(leader, NOW).lease, {
      holder: 'node1',
      ttl: 30,
      expiresAt: NOW + 24_500,
    });
    // A leader whose keeper no longer holds the lease (fenced, released) shows no countdown.
    assert.equal(dashboardState({ ...leader, leaseRemaining: null }, NOW).lease.expiresAt, null);
    const replica = { ...replicaView(), ttl: 30 };
    assert.equal(dashboardState(replica, NOW).lease.expiresAt, null);
    assert.equal(dashboardState(replica, NOW).lease.holder, 'node1');
  });

  it('shows pending restarts, a scheduled switchover, pause and the history', () => {
    const node2 = memberOf('node2', 54322, {
      data: { ...memberOf('node2', 54322).data, pending_restart: true, xlog_location: 1000 },
    });
    const cluster = clusterOf({
      members: [memberOf('node1', 54321, { role: 'primary' }), node2],
      failover: {
        leader: 'node1',
        candidate: 'node2',
        scheduledAt: '2026-12-06T01:00:00+00:00',
        index: 9,
      },
      history: {
        lines: [
          [1, 83886240, 'no recovery target specified', '2026-12-05T21:00:00+00:00', 'node1'],
        ],
        index: 3,
      },
      config: { data: { pause: true }, index: 4 },
    });
    const s = dashboardState({ ...primaryView(), cluster, paused: true }, NOW);
    assert.equal(s.members.find((m) => m.name === 'node2')?.pendingRestart, true);
    assert.equal(s.members.find((m) => m.name === 'node2')?.lag, 67111792 - 1000);
    assert.deepEqual(s.failover, {
      leader: 'node1',
      candidate: 'node2',
      scheduledAt: '2026-12-06T01:00:00+00:00',
    });
    assert.equal(s.paused, true);
    assert.equal(s.timeline, 2);
    assert.deepEqual(s.history, [
      {
        timeline: 1,
        lsn: '0/50000A0',
        reason: 'no recovery target specified',
        at: '2026-12-05T21:00:00+00:00',
        newLeader: 'node1',
      },
    ]);
  });

  it('says the DCS is gone when the node has no cluster left', () => {
    const s = dashboardState({ ...replicaView(), cluster: null }, NOW);
    assert.deepEqual(
      [s.dcsReachable, s.members, s.leader, s.lease.holder],
      [false, [], null, null],
    );
  });
});
