import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { effectiveConfig } from '../core/config/merge.js';
import { parseConfig } from './parse.js';
import { bootstrapOptions, postgresOptions, tagsOf } from './to-options.js';

function config(extra: Record<string, unknown> = {}, pg: Record<string, unknown> = {}) {
  return parseConfig({
    scope: 'batman',
    name: 'node1',
    restapi: { listen: '127.0.0.1:8008', connect_address: '10.0.0.1:8008' },
    etcd3: { host: '127.0.0.1:2379' },
    postgresql: {
      listen: '127.0.0.1:5432',
      connect_address: '10.0.0.1:5432',
      data_dir: '/data',
      authentication: {
        superuser: { username: 'postgres', password: 'pw', sslmode: 'require' },
        replication: { username: 'replicator' },
      },
      ...pg,
    },
    ...extra,
  }).config;
}

describe('postgresOptions', () => {
  it('maps the postgresql section and the effective merge', () => {
    const c = config(
      {},
      {
        bin_dir: '/usr/lib/postgresql/15/bin',
        bin_name: { postgres: 'postgres15' },
        pg_hba: ['local all all trust'],
        create_replica_methods: ['walg', 'basebackup'],
        walg: { command: 'walg-restore', no_leader: true },
        callbacks: { on_start: '/bin/true' },
        parameters: { work_mem: '8MB' },
      },
    );
    const eff = effectiveConfig(c, { postgresql: { use_pg_rewind: true, pg_ctl_timeout: 90 } });
    const o = postgresOptions(c, eff, { homeDir: '/var/lib/postgresql' });
    assert.equal(o.dataDir, '/data');
    assert.equal(o.binDir, '/usr/lib/postgresql/15/bin');
    assert.deepEqual(o.binName, { postgres: 'postgres15' });
    assert.deepEqual(o.authentication.superuser, {
      username: 'postgres',
      password: 'pw',
      libpq: { sslmode: 'require' },
    });
    assert.deepEqual(o.authentication.replication, { username: 'replicator' });
    assert.equal(o.authentication.rewind, undefined);
    assert.equal(o.parameters['work_mem'], '8MB');
    assert.equal(o.parameters['max_connections'], 100);
    assert.deepEqual(o.pgHba, ['local all all trust']);
    assert.equal(o.usePgRewind, true);
    assert.equal(o.pgCtlTimeout, 90);
    assert.deepEqual(o.createReplicaMethods, ['walg', 'basebackup']);
    assert.deepEqual(o.replicaMethods, { walg: { command: 'walg-restore', no_leader: true } });
    assert.deepEqual(o.callbacks, { on_start: '/bin/true' });
    assert.equal(o.pgpass, '/var/lib/postgresql/pgpass');
    assert.equal(o.useSlots, true);
    assert.equal('configDir' in o, false, 'absent optional fields stay absent');
  });
});

describe('postgresOptions in a standby cluster', () => {
  it('keeps the sections of standby_cluster.create_replica_methods (backup_restore)', () => {
    const c = config({}, { backup_restore: { command: 'python3 features/backup_restore.py' } });
    const eff = effectiveConfig(c, {
      standby_cluster: {
        host: 'localhost',
        port: 5362,
        create_replica_methods: ['backup_restore'],
      },
    });
    const o = postgresOptions(c, eff);
    assert.deepEqual(o.replicaMethods, {
      backup_restore: { command: 'python3 features/backup_restore.py' },
    });
  });
});

describe('bootstrapOptions', () => {
  it('maps a custom method, initdb options, users and post_init', () => {
    const c = config({
      bootstrap: {
        method: 'restore',
        restore: { command: 'restore.sh', no_params: 'yes', recovery_conf: { a: 'b' } },
        initdb: [{ encoding: 'UTF8' }, 'data-checksums'],
        pg_hba: ['host all all 0.0.0.0/0 md5'],
        users: { admin: { password: 'x', options: ['createdb'] } },
        post_init: '/usr/local/bin/setup.sh',
        dcs: { ttl: 30 },
      },
    });
    assert.deepEqual(bootstrapOptions(c), {
      method: 'restore',
      methods: { restore: { command: 'restore.sh', noParams: true, recoveryConf: { a: 'b' } } },
      initdb: [{ encoding: 'UTF8' }, 'data-checksums'],
      pgHba: ['host all all 0.0.0.0/0 md5'],
      users: { admin: { password: 'x', options: ['createdb'] } },
      postBootstrap: '/usr/local/bin/setup.sh',
    });
    assert.deepEqual(bootstrapOptions(config()), {});
  });
});

describe('tagsOf', () => {
  it('fills the built-in booleans and keeps custom tags', () => {
    const tags = tagsOf(config({ tags: { nosync: 'yes', replicatefrom: 'node2', weight: 2 } }));
    assert.deepEqual(tags, {
      nofailover: false,
      noloadbalance: false,
      clonefrom: false,
      nosync: true,
      replicatefrom: 'node2',
      custom: { weight: 2 },
    });
  });

  it('failover_priority 0 means nofailover unless nofailover says otherwise', () => {
    assert.equal(tagsOf(config({ tags: { failover_priority: 0 } })).nofailover, true);
    assert.equal(
      tagsOf(config({ tags: { failover_priority: 0, nofailover: false } })).nofailover,
      false,
    );
    assert.equal(tagsOf(config({ tags: { failover_priority: 2 } })).failoverPriority, 2);
  });
});
