import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EMPTY_CLUSTER } from '../../model/cluster.js';
import {
  cluster,
  EMPTY_PG,
  input,
  kinds,
  member,
  PRIMARY_PG,
  REPLICA_PG,
  run,
  SYSID,
  tags,
} from '../test-builders.js';

const fresh = { ...EMPTY_CLUSTER };

describe('empty data directory (§5.1 row 10, §10.1)', () => {
  it('no cluster yet: wins the initialize race and bootstraps', () => {
    const d = run(input({ me: 'node1', cluster: fresh, pg: EMPTY_PG }));
    assert.deepEqual(d.rounds, ['raceInitialize']);
    assert.equal(d.info, 'trying to bootstrap a new cluster');
    assert.deepEqual(kinds(d), ['bootstrapNewCluster']);
    assert.equal(d.memory.bootstrapping, true);
  });

  it('lost the initialize race', () => {
    const d = run(input({ cluster: fresh, pg: EMPTY_PG }), { initialize: false });
    assert.equal(d.info, 'failed to acquire initialize lock');
    assert.deepEqual(kinds(d), []);
  });

  it('bootstrap in progress elsewhere: wait', () => {
    const d = run(input({ cluster: { ...fresh, initialize: '' }, pg: EMPTY_PG }));
    assert.equal(d.info, 'waiting for leader to bootstrap');
  });

  it('no bootstrap section: wait', () => {
    const d = run(input({ cluster: fresh, pg: EMPTY_PG, local: { bootstrapConfigured: false } }));
    assert.equal(d.info, 'waiting for leader to bootstrap');
  });

  it('a replica method without leader: clone with no source', () => {
    const row = input({
      cluster: fresh,
      pg: EMPTY_PG,
      myTags: tags({ nofailover: true }),
      local: { replicaMethodWithoutLeader: true },
    });
    const d = run(row);
    assert.equal(d.info, 'trying to bootstrap (without leader)');
    const a = d.actions[0];
    assert.ok(
      a?.type === 'cloneFrom' && a.source === null && a.task === 'bootstrap (without leader)',
    );
  });

  it('a leader exists: clone from it', () => {
    const d = run(input({ pg: EMPTY_PG }));
    assert.equal(d.info, "trying to bootstrap from leader 'node1'");
    const a = d.actions[0];
    assert.ok(a?.type === 'cloneFrom' && a.source?.name === 'node1');
    assert.equal(a.task, "bootstrap from leader 'node1'");
    assert.equal(d.memory.role, 'uninitialized');
  });

  it('a running clonefrom replica is preferred', () => {
    const members = [
      member('node1', { role: 'primary' }),
      member('node3', { tags: tags({ clonefrom: true }) }),
    ];
    const d = run(input({ cluster: cluster({ members }), pg: EMPTY_PG }));
    assert.equal(d.info, "trying to bootstrap from replica 'node3'");
  });

  it('leader with an empty data dir releases the key', () => {
    const d = run(input({ me: 'node1', pg: EMPTY_PG }));
    assert.equal(d.info, 'released leader key voluntarily as data dir empty and currently leader');
    assert.deepEqual(kinds(d), ['releaseLeaderLock']);
  });

  it('inaccessible data dir', () => {
    const d = run(input({ pg: { ...REPLICA_PG, dataDirError: 'Permission denied' } }));
    assert.equal(d.info, 'data directory is not accessible: Permission denied');
    assert.deepEqual(kinds(d), ['stopPostgres']);
  });

  it('paused: no bootstrap', () => {
    const d = run(
      input({ cluster: cluster({ config: { data: { pause: true }, index: 5 } }), pg: EMPTY_PG }),
    );
    assert.equal(d.info, 'PAUSE: running with empty data directory');
  });
});

describe('post bootstrap (§10.3)', () => {
  const mid = { ...fresh, initialize: '' };
  const mem = { bootstrapping: true, role: 'uninitialized' as const };

  it('bootstrap finished, primary: run post_bootstrap', () => {
    const d = run(
      input({
        me: 'node1',
        cluster: mid,
        pg: PRIMARY_PG,
        memory: mem,
        finished: { action: 'bootstrap', ok: true },
      }),
    );
    assert.equal(d.info, 'running post_bootstrap');
    assert.deepEqual(kinds(d), ['postBootstrap']);
  });

  it('still recovering (PITR): wait', () => {
    const d = run(input({ me: 'node1', cluster: mid, pg: REPLICA_PG, memory: mem }));
    assert.equal(d.info, 'waiting for end of recovery after bootstrap');
  });

  it('post_bootstrap done: initialize, config, leader key', () => {
    const d = run(
      input({
        me: 'node1',
        cluster: mid,
        pg: PRIMARY_PG,
        memory: mem,
        finished: { action: 'post_bootstrap', ok: true },
      }),
    );
    assert.equal(d.info, 'initialized a new cluster');
    assert.deepEqual(kinds(d), ['setInitialize', 'writeDynamicConfig', 'takeLeader']);
    const a = d.actions[0];
    assert.ok(a?.type === 'setInitialize' && a.sysid === SYSID && !a.createNew);
    assert.equal(d.memory.bootstrapping, false);
    assert.ok(d.memory.leaderUntil > 0);
    // initdb's timeline has its checkpoint already: no checkpoint_after_promote flag.
    assert.equal(d.memory.rewind, 'checkpoint');
    const touch = d.actions.at(-1);
    assert.ok(touch?.type === 'touchMember' && touch.member.checkpointAfterPromote === undefined);
  });

  it('bootstrap failed: cancel initialization', () => {
    const d = run(
      input({
        me: 'node1',
        cluster: mid,
        pg: EMPTY_PG,
        memory: mem,
        finished: { action: 'bootstrap', ok: false },
      }),
    );
    assert.equal(d.info, 'Failed to bootstrap cluster');
    assert.deepEqual(kinds(d), ['cancelBootstrap']);
  });
});

describe('system identifier (§5.1 rows 4, 11)', () => {
  it('invalid sysid in the data directory', () => {
    const d = run(input({ pg: { ...REPLICA_PG, systemIdentifier: '123' } }));
    assert.equal(
      d.info,
      'data dir for the cluster is not empty, but system ID is invalid; consider doing reinitialize',
    );
  });

  it('another cluster: exit(1)', () => {
    const d = run(input({ pg: { ...REPLICA_PG, systemIdentifier: '9999999999999' } }));
    assert.equal(
      d.info,
      `system ID mismatch, node node2 belongs to a different cluster: ${SYSID} != 9999999999999`,
    );
    assert.deepEqual(kinds(d), ['exit']);
  });

  it('paused mismatch on the lock holder releases the key', () => {
    const c = cluster({ config: { data: { pause: true }, index: 5 } });
    const d = run(
      input({ me: 'node1', cluster: c, pg: { ...PRIMARY_PG, systemIdentifier: '9999999999999' } }),
    );
    assert.equal(d.info, 'PAUSE: released leader key voluntarily due to the system ID mismatch');
  });

  it('adopts a running primary into an uninitialized DCS', () => {
    const d = run(
      input({ me: 'node1', cluster: { ...fresh }, pg: PRIMARY_PG, memory: { role: 'primary' } }),
    );
    assert.equal(d.info, 'acquired session lock as a leader');
    const a = d.actions[0];
    assert.ok(a?.type === 'setInitialize' && a.sysid === SYSID && a.createNew);
  });

  it('a fresh Patroni with a running replica and no initialize key aborts', () => {
    const d = run(
      input({ cluster: { ...fresh }, pg: REPLICA_PG, memory: { startCallbackFired: false } }),
    );
    assert.equal(
      d.info,
      'No initialize key in DCS and PostgreSQL is running as replica, aborting start',
    );
    assert.deepEqual(kinds(d), ['exit']);
  });

  it('lock holder fills a missing initialize key and config', () => {
    const c = cluster({ initialize: null, config: null });
    const d = run(input({ me: 'node1', cluster: c }));
    assert.deepEqual(kinds(d).slice(0, 2), ['setInitialize', 'writeDynamicConfig']);
  });
});
