import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cluster, input, kinds, replicaStatus, run, STOPPED_PG } from '../test-builders.js';

const paused = cluster({ config: { data: { pause: true }, index: 5 } });

describe('postgres not running (§5.1 row 12, §5.7)', () => {
  it('a replica starts as a secondary following the leader', () => {
    const d = run(input({ pg: STOPPED_PG }));
    assert.equal(d.info, 'starting as a secondary');
    const a = d.actions[0];
    assert.ok(a?.type === 'followLeader' && a.how === 'start' && a.target?.name === 'node1');
    assert.equal(a.task, 'restarting after failure');
    assert.equal(d.memory.recovering, true);
  });

  it('the lock holder restarts read-only with primary_start_timeout', () => {
    const d = run(input({ me: 'node1', pg: STOPPED_PG }));
    assert.equal(d.info, 'starting as readonly because i had the session lock');
    const a = d.actions[0];
    assert.ok(a?.type === 'followLeader' && a.target === null && a.startTimeout === 300);
    assert.equal(d.memory.role, 'replica');
  });

  it('primary_start_timeout 0 and a healthy replica: fail over at once', () => {
    const row = input({ me: 'node1', pg: STOPPED_PG, settings: { primaryStartTimeout: 0 } });
    const d = run(row, { peers: { node2: replicaStatus(100) } });
    assert.equal(d.info, 'stopped PostgreSQL to fail over after a crash');
    const a = d.actions[0];
    assert.ok(a?.type === 'demote' && a.mode === 'immediate');
  });

  it('primary_start_timeout 0 but nobody can take over: restart read-only', () => {
    const row = input({ me: 'node1', pg: STOPPED_PG, settings: { primaryStartTimeout: 0 } });
    const d = run(row, { peers: {} });
    assert.equal(d.info, 'starting as readonly because i had the session lock');
  });

  it('crashed data directory without a leader: single-user crash recovery once', () => {
    const row = input({
      cluster: cluster({ leaderName: null }),
      pg: { ...STOPPED_PG, clusterState: 'in production' },
    });
    const d = run(row);
    assert.equal(d.info, 'doing crash recovery in a single user mode');
    assert.deepEqual(kinds(d), ['crashRecovery']);
    const again = run({ ...row, memory: d.memory });
    assert.equal(again.info, 'starting as a secondary');
  });

  it('paused: postgres stays down', () => {
    const d = run(input({ cluster: paused, pg: STOPPED_PG }));
    assert.equal(d.info, 'PAUSE: postgres is not running');
    assert.deepEqual(kinds(d), []);
  });

  it('paused lock holder with postgres down removes the leader lock', () => {
    const d = run(input({ me: 'node1', cluster: paused, pg: STOPPED_PG }));
    assert.equal(d.info, 'PAUSE: removed leader lock because postgres is not running');
    assert.deepEqual(kinds(d), ['releaseLeaderLock']);
  });
});

describe('after a start we asked for (§5.1 row 9)', () => {
  it('lock holder whose start failed removes the leader key', () => {
    const d = run(
      input({ me: 'node1', pg: STOPPED_PG, memory: { recovering: true, role: 'primary' } }),
    );
    assert.equal(d.info, 'removed leader key after trying and failing to start postgres');
    assert.deepEqual(kinds(d), ['releaseLeaderLock']);
    assert.equal(d.memory.role, 'demoted');
    assert.equal(d.memory.recovering, false);
  });

  it('replica whose start failed says so', () => {
    const d = run(input({ pg: STOPPED_PG, memory: { recovering: true } }));
    assert.equal(d.info, 'failed to start postgres');
  });

  it('started fine: normal processing continues', () => {
    const d = run(input({ memory: { recovering: true, crashRecoveryDone: true } }));
    assert.equal(d.info, 'no action. I am (node2), a secondary, and following a leader (node1)');
    assert.equal(d.memory.crashRecoveryDone, false);
  });
});

describe('postgres still starting (§5.8)', () => {
  const starting = { ...STOPPED_PG, state: 'starting' as const, postmasterRunning: true };

  it('leader waiting within primary_start_timeout', () => {
    const d = run(
      input({ me: 'node1', pg: starting, memory: { startingSince: 1_000_000 - 100_000 } }),
    );
    assert.equal(d.info, 'PostgreSQL is still starting up, 200 seconds until timeout');
  });

  it('leader past the timeout with a healthy replica: stop and fail over', () => {
    const row = input({
      me: 'node1',
      pg: starting,
      memory: { startingSince: 1_000_000 - 400_000 },
    });
    const d = run(row, { peers: { node2: replicaStatus(100) } });
    assert.equal(d.info, 'stopped PostgreSQL because of startup timeout');
    const a = d.actions[0];
    assert.ok(a?.type === 'demote' && a.mode === 'immediate');
  });

  it('leader past the timeout and nobody to take over keeps waiting', () => {
    const row = input({
      me: 'node1',
      pg: starting,
      memory: { startingSince: 1_000_000 - 400_000 },
    });
    const d = run(row, { peers: {} });
    assert.equal(
      d.info,
      'primary start has timed out, but continuing to wait because failover is not possible',
    );
  });

  it('leader whose refresh fails while starting stops postgres', () => {
    const d = run(input({ me: 'node1', pg: starting }), { refresh: false });
    assert.equal(d.info, 'stopped PostgreSQL while starting up because leader key was lost');
  });

  it('remembers when starting began', () => {
    const d = run(input({ pg: starting }));
    assert.equal(d.memory.startingSince, 1_000_000);
    assert.ok(d.log.some((l) => l.message === 'Still starting up as a standby.'));
  });
});
