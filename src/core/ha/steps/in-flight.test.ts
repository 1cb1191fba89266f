import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cluster, input, kinds, PRIMARY_PG, replicaStatus, run } from '../test-builders.js';

const flight = (action: string, cancellable = false) => ({
  action,
  startedAt: 1_000_000 - 1000,
  cancellable,
});

describe('async action in progress (§5.9)', () => {
  it('leader refreshes the lock during its action', () => {
    const d = run(input({ me: 'node1', inFlight: flight('promote') }));
    assert.equal(d.info, 'updated leader lock during promote');
    assert.deepEqual(d.rounds, ['refreshLock']);
  });

  it('replica reports the action', () => {
    const d = run(input({ inFlight: flight("bootstrap from leader 'node1'") }));
    assert.equal(d.info, "bootstrap from leader 'node1' in progress");
    assert.deepEqual(kinds(d), []);
  });

  it('a promote whose lock is gone is cancelled while still cancellable', () => {
    const d = run(input({ me: 'node1', inFlight: flight('promote', true) }), { refresh: false });
    assert.equal(d.info, 'lost leader before promote');
    assert.deepEqual(kinds(d), ['cancelInFlight']);
  });

  it('a primary that lost the lock during an action demotes', () => {
    const row = input({
      me: 'node1',
      pg: PRIMARY_PG,
      memory: { role: 'primary' },
      inFlight: flight('restart'),
    });
    const d = run(row, { refresh: false });
    assert.equal(d.info, 'lost leader lock during restart');
    assert.deepEqual(kinds(d), ['demote']);
  });

  it('crash recovery past primary_start_timeout with a healthy replica: terminate', () => {
    const row = input({
      me: 'node1',
      inFlight: {
        action: 'doing crash recovery in a single user mode',
        startedAt: 0,
        cancellable: true,
      },
    });
    const d = run(row, { peers: { node2: replicaStatus(100) } });
    assert.equal(d.info, 'terminated crash recovery because of startup timeout');
    assert.deepEqual(kinds(d), ['cancelInFlight', 'demote']);
  });

  it('no leader: says it is not racing', () => {
    const d = run(input({ cluster: cluster({ leaderName: null }), inFlight: flight('restart') }));
    assert.equal(d.info, 'restart in progress');
    assert.ok(d.log.some((l) => l.message === 'not healthy enough for leader race'));
  });

  it('publishes no WAL position while rebuilding', () => {
    const d = run(input({ inFlight: flight('reinitialize') }));
    const t = d.actions.at(-1);
    assert.ok(t?.type === 'touchMember' && t.member.xlogLocation === undefined);
  });
});
