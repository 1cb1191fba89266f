import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EMPTY_CLUSTER } from '../../model/cluster.js';
import { parseStandbyCluster, remoteTarget } from '../standby.js';
import {
  cluster,
  EMPTY_PG,
  input,
  kinds,
  member,
  PRIMARY_PG,
  REPLICA_PG,
  run,
  STOPPED_PG,
  SYSID,
} from '../test-builders.js';

const standbyConfig = { data: { standby_cluster: { host: '10.0.0.9', port: 5433 } }, index: 5 };
const REMOTE_URL = 'postgres://10.0.0.9:5433/postgres';
const standby = (over = {}) => cluster({ config: standbyConfig, ...over });
const upstreamRemote = { upstream: { connUrl: REMOTE_URL } };

describe('standby cluster settings (§17)', () => {
  it('active only with host, port or restore_command', () => {
    assert.equal(parseStandbyCluster({ primary_slot_name: 'x' }), null);
    assert.equal(parseStandbyCluster(null), null);
    assert.equal(parseStandbyCluster({ restore_command: 'cp %f %p' })?.restoreCommand, 'cp %f %p');
    assert.equal(parseStandbyCluster({ host: 'h', port: '5433' })?.port, 5433);
  });

  it('the remote member: every host with the port', () => {
    const cfg = parseStandbyCluster({ host: 'a, b', port: 6000 });
    assert.ok(cfg !== null);
    assert.equal(remoteTarget(cfg).connUrl, 'postgres://a:6000,b:6000/postgres');
  });
});

describe('standby cluster decisions (§17)', () => {
  it('standby leader with the lock keeps following the remote primary', () => {
    const row = input({
      me: 'node1',
      cluster: standby(),
      pg: REPLICA_PG,
      memory: { role: 'standby_leader', ...upstreamRemote },
    });
    const d = run(row);
    assert.equal(d.info, 'no action. I am (node1), the standby leader with the lock');
    assert.deepEqual(kinds(d), []);
  });

  it('lock holder becoming standby leader re-points to the remote primary', () => {
    const d = run(
      input({ me: 'node1', cluster: standby(), pg: REPLICA_PG, memory: { role: 'replica' } }),
    );
    assert.equal(d.info, 'promoted self to a standby leader because i had the session lock');
    const a = d.actions[0];
    assert.ok(
      a?.type === 'followLeader' &&
        a.target?.connUrl === REMOTE_URL &&
        a.target.standby?.port === 5433 &&
        a.role === 'standby_leader',
    );
    // The re-point itself tells on_role_change (once): no separate callback.
    assert.ok(!kinds(d).includes('callback'));
    assert.equal(d.memory.role, 'standby_leader');
  });

  it('a lock holder already following the remote only tells on_role_change', () => {
    const d = run(
      input({
        me: 'node1',
        cluster: standby(),
        pg: REPLICA_PG,
        memory: { role: 'replica', ...upstreamRemote },
      }),
    );
    assert.equal(d.info, 'promoted self to a standby leader because i had the session lock');
    assert.deepEqual(
      d.actions.filter((a) => a.type !== 'touchMember'),
      [{ type: 'callback', name: 'on_role_change', role: 'standby_leader' }],
    );
  });

  it('a primary in a standby cluster demotes', () => {
    const d = run(
      input({ me: 'node1', cluster: standby(), pg: PRIMARY_PG, memory: { role: 'primary' } }),
    );
    assert.equal(d.info, 'cannot be a real primary in standby cluster');
    const a = d.actions[0];
    assert.ok(a?.type === 'demote' && a.mode === 'immediate-nolock');
  });

  it('a replica follows the standby leader', () => {
    const d = run(input({ cluster: standby() }));
    assert.equal(
      d.info,
      'no action. I am (node2), a secondary, and following a standby leader (node1)',
    );
  });

  it('the race winner becomes standby leader and never promotes', () => {
    const d = run(input({ cluster: standby({ leaderName: null }) }), { peers: {} });
    assert.equal(d.info, 'promoted self to a standby leader by acquiring session lock');
    assert.ok(!kinds(d).includes('promote'));
    assert.equal(d.memory.role, 'standby_leader');
  });

  it('a standby leader without conn_url: keep following the old one', () => {
    const members = [member('node1', { connUrl: null }), member('node2')];
    const d = run(input({ cluster: standby({ members }) }));
    assert.equal(d.info, 'continue following the old known standby leader');
  });

  it('postgres down, no leader: follow the remote member directly', () => {
    const d = run(input({ cluster: standby({ leaderName: null }), pg: STOPPED_PG }));
    assert.equal(d.info, 'trying to follow a remote member because standby cluster is unhealthy');
    const a = d.actions[0];
    assert.ok(a?.type === 'followLeader' && a.target?.connUrl === REMOTE_URL);
  });

  it('postgres down on the lock holder: start as standby leader', () => {
    const d = run(input({ me: 'node1', cluster: standby(), pg: STOPPED_PG }));
    assert.equal(d.info, 'starting as a standby leader because i had the session lock');
    assert.equal(d.memory.role, 'standby_leader');
    const a = d.actions.find((x) => x.type === 'followLeader');
    // on_start is told standby_leader, as Patroni's follow(node, 'standby_leader') does.
    assert.ok(a?.type === 'followLeader' && a.role === 'standby_leader');
  });

  it('bootstrap: the initialize winner clones the remote primary', () => {
    const c = { ...EMPTY_CLUSTER, config: standbyConfig };
    const d = run(input({ me: 'node1', cluster: c, pg: EMPTY_PG }));
    assert.equal(d.info, 'trying to bootstrap a new standby leader');
    const a = d.actions[0];
    assert.ok(
      a?.type === 'cloneFrom' &&
        a.task === 'bootstrap_standby_leader' &&
        a.source?.connUrl === REMOTE_URL,
    );
  });

  it('bootstrap: the clone done completes the cluster without post_bootstrap', () => {
    const c = { ...EMPTY_CLUSTER, initialize: '', config: standbyConfig };
    const d = run(
      input({
        me: 'node1',
        cluster: c,
        pg: REPLICA_PG,
        memory: { bootstrapping: true },
        finished: { action: 'bootstrap_standby_leader', ok: true },
      }),
    );
    assert.equal(d.info, 'initialized a new cluster');
    assert.deepEqual(kinds(d), ['setInitialize', 'writeDynamicConfig', 'takeLeader']);
    assert.equal(d.memory.role, 'standby_leader');
  });

  it('others wait for the standby leader to bootstrap', () => {
    const c = { ...EMPTY_CLUSTER, initialize: '', config: standbyConfig };
    const d = run(input({ cluster: c, pg: EMPTY_PG }));
    assert.equal(d.info, 'waiting for standby_leader to bootstrap');
  });

  it('a cascade replica takes the standby cluster restore_command, not its slot', () => {
    const data = {
      standby_cluster: { host: '10.0.0.9', port: 5433, restore_command: 'cp /a/%f %p' },
    };
    const d = run(
      input({ cluster: cluster({ config: { data, index: 5 } }), memory: { upstream: null } }),
    );
    const a = d.actions.find((x) => x.type === 'followLeader');
    assert.ok(a?.type === 'followLeader');
    assert.equal(a.target?.name, 'node1');
    assert.equal(a.target.standby, undefined);
    assert.deepEqual(a.target.archive, {
      restoreCommand: 'cp /a/%f %p',
      archiveCleanupCommand: null,
    });
  });

  it('a new member clones the standby leader with standby_cluster.create_replica_methods', () => {
    const data = {
      standby_cluster: { host: '10.0.0.9', port: 5433, create_replica_methods: ['backup_restore'] },
    };
    const d = run(input({ cluster: cluster({ config: { data, index: 5 } }), pg: EMPTY_PG }));
    const a = d.actions[0];
    assert.ok(a?.type === 'cloneFrom');
    assert.equal(a.source?.name, 'node1');
    assert.deepEqual(a.replicaMethods, ['backup_restore']);
  });

  it('a normal cluster clones with the local create_replica_methods', () => {
    const d = run(input({ pg: EMPTY_PG }));
    const a = d.actions[0];
    assert.ok(a?.type === 'cloneFrom' && a.replicaMethods === null);
  });

  it('before the DCS holds a config, the local standby_cluster (bootstrap.dcs) decides', () => {
    const local = parseStandbyCluster({ host: '10.0.0.9', port: 5433 });
    const c = { ...EMPTY_CLUSTER, initialize: SYSID };
    const d = run(input({ cluster: c, pg: STOPPED_PG, local: { standbyCluster: local } }));
    assert.equal(d.info, 'trying to follow a remote member because standby cluster is unhealthy');
  });

  it('synchronous mode is ignored in a standby cluster', () => {
    const d = run(
      input({ cluster: standby({ leaderName: null }), settings: { synchronousMode: true } }),
      { peers: {} },
    );
    assert.ok(!d.rounds.includes('writeSyncState'));
  });
});
