import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  cluster,
  failover,
  input,
  kinds,
  PRIMARY_PG,
  REPLICA_PG,
  replicaStatus,
  run,
} from '../test-builders.js';

const leader = { me: 'node1' } as const;

describe('holding the lock (§5.4)', () => {
  it('healthy leader refreshes and says so', () => {
    const d = run(input(leader));
    assert.equal(d.info, 'no action. I am (node1), the leader with the lock');
    assert.deepEqual(d.rounds, ['refreshLock']);
    assert.deepEqual(kinds(d), []);
    assert.ok(d.memory.leaderUntil > 0);
  });

  it('lock holder whose postgres is a replica promotes', () => {
    const d = run(input({ ...leader, pg: REPLICA_PG, memory: { role: 'replica' } }));
    assert.equal(d.info, 'promoted self to leader because I had the session lock');
    assert.deepEqual(kinds(d), ['promote']);
  });

  it('refresh refused on a primary: demote immediate-nolock', () => {
    const d = run(input(leader), { refresh: false });
    assert.equal(d.info, 'demoted self because failed to update leader lock in DCS');
    assert.deepEqual(kinds(d), ['demote']);
    const a = d.actions[0];
    assert.ok(a?.type === 'demote' && a.mode === 'immediate-nolock');
    assert.equal(d.memory.role, 'demoted');
    assert.equal(d.memory.leaderUntil, 0);
  });

  it('refresh refused, paused: keeps running as primary', () => {
    const c = cluster({ config: { data: { pause: true }, index: 5 } });
    const d = run(input({ ...leader, cluster: c }), { refresh: false });
    assert.equal(
      d.info,
      'PAUSE: continue to run as primary after failing to update leader lock in DCS',
    );
    assert.deepEqual(kinds(d), []);
  });

  it('refresh refused on a replica: does not promote', () => {
    const d = run(input({ ...leader, pg: REPLICA_PG, memory: { role: 'replica' } }), {
      refresh: false,
    });
    assert.equal(d.info, 'not promoting because failed to update leader lock in DCS');
    assert.deepEqual(kinds(d), []);
  });

  it('switchover to a healthy candidate: graceful demotion in the async slot', () => {
    const c = cluster({ failover: failover({ leader: 'node1', candidate: 'node2' }) });
    const d = run(input({ ...leader, cluster: c, pg: PRIMARY_PG }), {
      peers: { node2: replicaStatus(100) },
    });
    assert.equal(d.info, 'manual failover: demoting myself');
    const a = d.actions.find((x) => x.type === 'demote');
    assert.ok(
      a?.type === 'demote' && a.mode === 'graceful' && a.task === 'manual failover: demote',
    );
  });

  it('switchover with an unhealthy candidate: clears the key and stays', () => {
    const c = cluster({ failover: failover({ leader: 'node1', candidate: 'node2' }) });
    const d = run(input({ ...leader, cluster: c }), { peers: { node2: null } });
    assert.equal(d.info, 'no action. I am (node1), the leader with the lock');
    assert.deepEqual(kinds(d), ['clearFailoverKey']);
    assert.ok(
      d.log.some(
        (l) => l.message === 'manual failover: no healthy members found, failover is not possible',
      ),
    );
  });

  it('member key publishes role and position', () => {
    const d = run(input(leader));
    const touch = d.actions.at(-1);
    assert.ok(touch?.type === 'touchMember');
    assert.equal(touch.member.role, 'primary');
    assert.equal(touch.member.xlogLocation, 100);
    assert.equal(touch.member.checkpointAfterPromote, undefined);
  });
});
