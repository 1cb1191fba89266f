import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from '../decide.js';
import { withFailsafeLeader } from './failsafe.js';
import { cluster, input, kinds, PRIMARY_PG, replicaStatus, run } from '../test-builders.js';

const topology = { node1: 'http://h1/patroni', node2: 'http://h2/patroni' };
const cutOff = {
  me: 'node1',
  cluster: null,
  pg: PRIMARY_PG,
  settings: { failsafeMode: true },
  memory: { role: 'primary' as const, failsafeTopology: topology },
};

describe('failsafe mode (§9)', () => {
  it('primary cut off, every member accepts: keeps running as leader', () => {
    const d = run(input(cutOff), { failsafe: true });
    assert.deepEqual(d.rounds, ['failsafePing']);
    assert.equal(
      d.info,
      'continue to run as a leader because failsafe mode is enabled and all members are accessible',
    );
    assert.deepEqual(d.actions, []);
    assert.ok(d.memory.leaderUntil > 0);
    assert.equal(d.memory.failsafeActiveSince, 1_000_000);
  });

  it('asks only the other members of the cached topology', () => {
    const d = decide1();
    assert.deepEqual(d.query, {
      kind: 'failsafePing',
      members: [{ name: 'node2', apiUrl: 'http://h2/patroni' }],
    });
  });

  it('one member refuses: demote offline', () => {
    const d = run(input(cutOff), { failsafe: false });
    assert.equal(d.info, 'demoting self because DCS is not accessible and I was a leader');
    assert.deepEqual(kinds(d), ['demote']);
    assert.equal(d.memory.failsafeActiveSince, null);
  });

  it('not in the cached topology: demote without asking', () => {
    const row = input({ ...cutOff, memory: { role: 'primary', failsafeTopology: { node2: 'x' } } });
    const d = run(row);
    assert.deepEqual(d.rounds, []);
    assert.deepEqual(kinds(d), ['demote']);
  });

  it('alone in the topology: nothing to ask, keep running', () => {
    const row = input({ ...cutOff, memory: { role: 'primary', failsafeTopology: { node1: 'x' } } });
    const d = run(row);
    assert.deepEqual(d.rounds, []);
    assert.deepEqual(d.actions, []);
  });

  it('the leader publishes /failsafe with its refresh', () => {
    const d = decide1Leader();
    assert.deepEqual(d.query, {
      kind: 'refreshLock',
      lastLsn: 100,
      failsafe: {
        node1: 'http://127.0.0.1:8008/patroni',
        node2: 'http://127.0.0.2:8008/patroni',
        node3: 'http://127.0.0.3:8008/patroni',
      },
    });
  });

  it('a replica pinged within ttl follows the pinging primary instead of racing', () => {
    const c = cluster({ leaderName: null });
    const ping = {
      name: 'node1',
      connUrl: 'postgres://h1:5432/postgres',
      apiUrl: 'http://h1/patroni',
      receivedAt: 1_000_000 - 5000,
    };
    const d = run({
      ...input({ cluster: c, settings: { failsafeMode: true } }),
      failsafePing: ping,
    });
    assert.equal(d.info, 'no action. I am (node2), a secondary, and following a leader (node1)');
    assert.deepEqual(d.rounds, []);
  });

  it("a ping's slot positions stand in for the published ones (Failsafe.update_cluster)", () => {
    const c = cluster({ leaderName: null, slots: { dcs_slot_0: 100 } });
    const ping = { name: 'node1', connUrl: null, apiUrl: null, receivedAt: 1_000_000 - 5000 };
    const row = input({ cluster: c, settings: { failsafeMode: true } });
    const withSlots = withFailsafeLeader(
      { ...row, failsafePing: { ...ping, slots: { dcs_slot_0: 200 } } },
      c,
    );
    assert.equal(withSlots.leader?.name, 'node1');
    assert.deepEqual(withSlots.slots, { dcs_slot_0: 200 });
    assert.deepEqual(withFailsafeLeader({ ...row, failsafePing: ping }, c).slots, {});
  });

  it('an old ping no longer counts', () => {
    const c = cluster({ leaderName: null });
    const ping = { name: 'node1', connUrl: null, apiUrl: null, receivedAt: 1_000_000 - 31_000 };
    const d = run(
      { ...input({ cluster: c, settings: { failsafeMode: true } }), failsafePing: ping },
      { peers: {} },
    );
    assert.equal(d.info, 'promoted self to leader by acquiring session lock');
  });

  it('race: a node missing from a non-empty /failsafe may not race', () => {
    const c = cluster({ leaderName: null, failsafe: { node1: 'a', node3: 'c' } });
    const d = run(input({ cluster: c, settings: { failsafeMode: true } }));
    assert.equal(d.info, 'following a different leader because i am not the healthiest node');
    assert.deepEqual(d.rounds, []);
  });

  it('race: members listed in /failsafe are asked too', () => {
    const c = cluster({
      leaderName: null,
      members: [],
      failsafe: { node2: 'b', node9: 'http://h9/patroni' },
    });
    const d = run(input({ cluster: c, settings: { failsafeMode: true } }), {
      peers: { node9: replicaStatus(900) },
    });
    assert.equal(d.info, 'following a different leader because i am not the healthiest node');
  });
});

function decide1(): ReturnType<typeof decide> {
  return decide(input(cutOff));
}

function decide1Leader(): ReturnType<typeof decide> {
  return decide(input({ me: 'node1', settings: { failsafeMode: true } }));
}
