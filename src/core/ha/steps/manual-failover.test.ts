import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  cluster,
  failover,
  input,
  kinds,
  PRIMARY_PG,
  replicaStatus,
  run,
  WALL,
} from '../test-builders.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe('manual failover from the leader (§6.5)', () => {
  it('failover key naming another leader is cleaned up', () => {
    const c = cluster({ failover: failover({ leader: 'node3', candidate: 'node2' }) });
    const d = run(input({ me: 'node1', cluster: c }));
    assert.deepEqual(kinds(d), ['clearFailoverKey']);
    assert.ok(
      d.log.some(
        (l) => l.message === 'manual failover: leader name does not match: node3 != node1',
      ),
    );
  });

  it('candidate is the leader itself', () => {
    const c = cluster({ failover: failover({ candidate: 'node1' }) });
    const d = run(input({ me: 'node1', cluster: c }));
    assert.deepEqual(kinds(d), ['clearFailoverKey']);
    assert.ok(
      d.log.some(
        (l) => l.message === 'manual failover: I am already the leader, no need to failover',
      ),
    );
  });

  it('scheduled in the future: wait and leave the key', () => {
    const c = cluster({
      failover: failover({ leader: 'node1', scheduledAt: iso(WALL + 3_600_000) }),
    });
    const d = run(input({ me: 'node1', cluster: c }));
    assert.equal(d.info, 'no action. I am (node1), the leader with the lock');
    assert.deepEqual(kinds(d), []);
    assert.ok(d.log.some((l) => l.message.startsWith('Awaiting failover at')));
  });

  it('scheduled and due: demote', () => {
    const c = cluster({ failover: failover({ leader: 'node1', scheduledAt: iso(WALL + 2000) }) });
    const d = run(input({ me: 'node1', cluster: c, pg: PRIMARY_PG }), {
      peers: { node2: replicaStatus(100), node3: null },
    });
    assert.equal(d.info, 'manual failover: demoting myself');
  });

  it('scheduled long ago: stale, cleaned up', () => {
    const c = cluster({ failover: failover({ leader: 'node1', scheduledAt: iso(WALL - 60_000) }) });
    const d = run(input({ me: 'node1', cluster: c }));
    assert.deepEqual(kinds(d), ['clearFailoverKey']);
  });

  it('paused without a candidate: refused', () => {
    const c = cluster({
      config: { data: { pause: true }, index: 5 },
      failover: failover({ leader: 'node1' }),
    });
    const d = run(input({ me: 'node1', cluster: c }));
    assert.ok(
      d.log.some(
        (l) => l.message === 'Failover is possible only to a specific candidate in a paused state',
      ),
    );
  });
});

describe('manual failover without a leader (§6.5)', () => {
  const noLeader = (f: Parameters<typeof failover>[0]) =>
    cluster({ leaderName: null, failover: failover(f) });

  it('the named candidate races', () => {
    const d = run(input({ cluster: noLeader({ candidate: 'node2' }) }));
    assert.equal(d.info, 'promoted self to leader by acquiring session lock');
  });

  it('others step aside for a healthy candidate', () => {
    const d = run(input({ me: 'node3', cluster: noLeader({ candidate: 'node2' }) }), {
      peers: { node2: replicaStatus(100) },
    });
    assert.equal(d.info, 'following a different leader because i am not the healthiest node');
    assert.ok(d.log.some((l) => l.message === 'manual failover: to node2, i am node3'));
  });

  it('an unreachable candidate: the healthiest takes over', () => {
    const d = run(input({ me: 'node3', cluster: noLeader({ candidate: 'node2' }) }), {
      peers: { node2: null },
    });
    assert.equal(d.info, 'promoted self to leader by acquiring session lock');
    assert.ok(d.log.some((l) => l.message === 'manual failover: member node2 is not reachable'));
  });

  it('the old leader named in a switchover races only if nobody else can', () => {
    const row = input({
      me: 'node1',
      cluster: noLeader({ leader: 'node1', candidate: 'node2' }),
      pg: { inRecovery: true },
    });
    const d = run(row, { peers: { node2: null, node3: replicaStatus(100) } });
    assert.equal(d.info, 'following a different leader because i am not the healthiest node');
  });
});
