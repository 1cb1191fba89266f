import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  cluster,
  failover,
  input,
  kinds,
  member,
  PRIMARY_PG,
  replicaStatus,
  run,
  tags,
} from '../test-builders.js';

const leaderless = cluster({ leaderName: null });

describe('leader race (§5.3, §6.1, §6.2)', () => {
  it('healthiest replica acquires the lock and promotes', () => {
    const d = run(input({ cluster: leaderless }), {
      peers: { node1: null, node3: replicaStatus(90) },
    });
    assert.equal(d.info, 'promoted self to leader by acquiring session lock');
    assert.deepEqual(d.rounds, ['peerStatus', 'acquireLock']);
    assert.deepEqual(kinds(d), ['promote']);
    assert.ok(d.memory.leaderUntil > 0);
  });

  it('losing the lock race follows', () => {
    const d = run(input({ cluster: leaderless }), { peers: {}, lock: false });
    assert.equal(d.info, 'following new leader after trying and failing to obtain lock');
    assert.ok(!kinds(d).includes('promote'));
    assert.ok(d.log.some((l) => l.message === 'Could not take out TTL lock'));
  });

  it('a primary that loses the lock race demotes', () => {
    const d = run(input({ cluster: leaderless, pg: PRIMARY_PG, memory: { role: 'primary' } }), {
      lock: false,
    });
    assert.equal(d.info, 'demoted self after trying and failing to obtain lock');
    assert.deepEqual(kinds(d), ['demote']);
  });

  it('a running primary re-acquires without asking anyone', () => {
    const d = run(input({ cluster: leaderless, pg: PRIMARY_PG, memory: { role: 'primary' } }));
    assert.equal(d.info, 'acquired session lock as a leader');
    assert.deepEqual(d.rounds, ['acquireLock']);
    assert.deepEqual(kinds(d), []);
  });

  it('a peer ahead of me wins: I follow', () => {
    const d = run(input({ cluster: leaderless }), { peers: { node3: replicaStatus(200) } });
    assert.equal(d.info, 'following a different leader because i am not the healthiest node');
    assert.ok(!d.rounds.includes('acquireLock'));
    assert.ok(d.log.some((l) => l.message === 'Wal position of node3 is ahead of my wal position'));
  });

  it('a live primary among the peers stops the race', () => {
    const d = run(input({ cluster: leaderless }), {
      peers: { node1: { ...replicaStatus(100), isPrimary: true } },
    });
    assert.equal(d.info, 'following a different leader because i am not the healthiest node');
    assert.ok(
      d.log.some((l) => l.level === 'warning' && l.message === 'Primary (node1) is still alive'),
    );
  });

  it('too far behind /status.optime: not healthiest (maximum_lag_on_failover)', () => {
    const c = cluster({ leaderName: null, lastLsn: 100 + 2 * 1048576 });
    const d = run(input({ cluster: c }));
    assert.equal(d.info, 'following a different leader because i am not the healthiest node');
    assert.deepEqual(d.rounds, []);
    assert.ok(d.log.some((l) => l.message === 'My wal position exceeds maximum replication lag'));
  });

  it('check_timeline: behind the cluster timeline never races', () => {
    const c = cluster({ leaderName: null, history: { lines: [[1, 50, 'x']], index: 3 } });
    const d = run(input({ cluster: c, settings: { checkTimeline: true } }));
    assert.equal(d.info, 'following a different leader because i am not the healthiest node');
    assert.ok(
      d.log.some((l) => l.message === 'My timeline 1 is behind last known cluster timeline 2'),
    );
  });

  it('nofailover never races and says so', () => {
    const d = run(input({ cluster: leaderless, myTags: tags({ nofailover: true }) }));
    assert.equal(d.info, 'following a different leader because I am not allowed to promote');
    assert.deepEqual(d.rounds, []);
  });

  it('failover_priority 0 counts as nofailover', () => {
    const d = run(input({ cluster: leaderless, myTags: tags({ failoverPriority: 0 }) }));
    assert.equal(d.info, 'following a different leader because I am not allowed to promote');
  });

  it('equal WAL and a higher failover_priority peer: step aside', () => {
    const d = run(input({ cluster: leaderless }), {
      peers: { node3: replicaStatus(100, { failoverPriority: 5 }) },
    });
    assert.equal(d.info, 'following a different leader because i am not the healthiest node');
  });

  it('peers with nofailover are not asked', () => {
    const members = [member('node2'), member('node3', { tags: tags({ nofailover: true }) })];
    const d = run(input({ cluster: cluster({ leaderName: null, members }) }));
    assert.deepEqual(d.rounds, ['acquireLock']);
  });

  it('members of the last cluster that had a leader are asked too', () => {
    const d = run(
      input({
        cluster: cluster({ leaderName: null, members: [member('node2')] }),
        memory: {
          lastLedMembers: [{ name: 'node4', apiUrl: 'http://h4/patroni', nofailover: false }],
        },
      }),
      { peers: { node4: replicaStatus(500) } },
    );
    assert.equal(d.info, 'following a different leader because i am not the healthiest node');
  });

  it('pre_promote failure backs off the race for ttl', () => {
    const d = run(input({ cluster: leaderless, memory: { prePromoteFailedAt: 1_000_000 - 5000 } }));
    assert.equal(d.info, 'following a different leader because i am not the healthiest node');
    assert.ok(d.log[0]?.message.startsWith('backoff: skip leader race'));
  });

  it('paused: replicas never race', () => {
    const c = cluster({ leaderName: null, config: { data: { pause: true }, index: 5 } });
    const d = run(input({ cluster: c }));
    assert.equal(d.info, 'PAUSE: no action. I am (node2)');
    assert.deepEqual(d.rounds, []);
  });

  it('winner clears the failover key', () => {
    const c = cluster({ leaderName: null, failover: failover({ candidate: 'node2' }) });
    const d = run(input({ cluster: c }));
    assert.equal(d.info, 'promoted self to leader by acquiring session lock');
    assert.deepEqual(kinds(d), ['clearFailoverKey', 'promote']);
  });

  it('paused winner with leader+candidate keeps only the candidate', () => {
    const c = cluster({
      leaderName: null,
      config: { data: { pause: true }, index: 5 },
      failover: failover({ leader: 'node1', candidate: 'node2' }),
    });
    const d = run(input({ cluster: c }));
    assert.equal(d.info, 'PAUSE: promoted self to leader by acquiring session lock');
    assert.deepEqual(kinds(d), ['rewriteFailoverKey', 'promote']);
  });
});
