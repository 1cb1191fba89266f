import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatConninfo, parseConnUrl } from './conninfo.js';
import { buildRecoveryParams } from './recovery.js';

describe('conninfo', () => {
  it('formats in Patroni key order, passfile instead of password, dbname dropped', () => {
    assert.equal(
      formatConninfo({
        application_name: 'node2',
        port: 5432,
        host: '10.0.0.11',
        password: 'secret',
        passfile: '/home/postgres/pgpass',
        user: 'replicator',
        dbname: 'postgres',
        sslmode: 'prefer',
        gssencmode: 'prefer',
        channel_binding: 'prefer',
      }),
      'user=replicator passfile=/home/postgres/pgpass host=10.0.0.11 port=5432 sslmode=prefer application_name=node2 gssencmode=prefer channel_binding=prefer',
    );
  });

  it('escapes quotes, backslashes and spaces with a backslash', () => {
    assert.equal(formatConninfo({ user: "o'n e\\" }), "user=o\\'n\\ e\\\\");
  });

  it('with dbname: keeps dbname, never a secret', () => {
    assert.equal(
      formatConninfo({ dbname: 'postgres', user: 'u', password: 'p', host: 'h', port: 1 }, true),
      'dbname=postgres user=u host=h port=1',
    );
  });

  it('parses member conn_urls', () => {
    assert.deepEqual(parseConnUrl('postgres://10.0.0.1:5433/postgres'), {
      host: '10.0.0.1',
      port: '5433',
      dbname: 'postgres',
    });
    assert.deepEqual(parseConnUrl('postgresql://u:p%40ss@[::1]:5432/db?sslmode=require'), {
      user: 'u',
      password: 'p@ss',
      host: '::1',
      port: '5432',
      dbname: 'db',
      sslmode: 'require',
    });
    assert.equal(parseConnUrl('http://x'), null);
  });
});

describe('buildRecoveryParams', () => {
  const input = {
    selfName: 'node-2',
    replication: { username: 'replicator', password: 'rep' },
    recoveryConf: {
      restore_command: 'cp /a/%f %p',
      recovery_target_time: 'x',
      primary_slot_name: 'nope',
    },
    useSlots: true,
    pgpassPath: '/var/lib/postgresql/pgpass',
  };

  it('builds the replica recovery block with slot, passfile and neutralised targets', () => {
    const plan = buildRecoveryParams(input, {
      name: 'node1',
      connUrl: 'postgres://10.0.0.1:5432/postgres',
    });
    assert.deepEqual(plan.params, {
      restore_command: 'cp /a/%f %p',
      recovery_target: '',
      recovery_target_lsn: '',
      recovery_target_name: '',
      recovery_target_time: '',
      recovery_target_xid: '',
      recovery_target_timeline: 'latest',
      primary_conninfo:
        'user=replicator passfile=/var/lib/postgresql/pgpass host=10.0.0.1 port=5432 sslmode=prefer application_name=node-2 gssencmode=prefer channel_binding=prefer',
      primary_slot_name: 'node_2',
    });
    assert.deepEqual(plan.pgpass, {
      host: '10.0.0.1',
      port: '5432',
      user: 'replicator',
      password: 'rep',
    });
  });

  it('no primary_conninfo without a target, toward itself, or without conn_url', () => {
    for (const t of [
      null,
      { name: 'node-2', connUrl: 'postgres://h:1/postgres' },
      { name: 'x', connUrl: null },
    ]) {
      const plan = buildRecoveryParams(input, t);
      assert.equal(plan.params['primary_conninfo'], undefined);
      assert.equal(plan.params['primary_slot_name'], undefined);
      assert.equal(plan.pgpass, null);
    }
  });

  it('standby leader toward a remote source: its slot, read-write, standby_cluster settings', () => {
    const plan = buildRecoveryParams(input, {
      name: 'remote_member:x',
      connUrl: 'postgres://10.1.0.1:5432/postgres',
      remote: true,
      primarySlotName: 'Standby-DC2',
      restoreCommand: 'fetch %f %p',
      recoveryMinApplyDelay: '5min',
    });
    assert.equal(plan.params['primary_slot_name'], 'standby_dc2');
    assert.equal(plan.params['restore_command'], 'fetch %f %p');
    assert.equal(plan.params['recovery_min_apply_delay'], '5min');
    assert.match(String(plan.params['primary_conninfo']), / target_session_attrs=read-write$/);
    const noSlot = buildRecoveryParams(input, {
      name: 'r',
      connUrl: 'postgres://h:1/postgres',
      remote: true,
    });
    assert.equal(noSlot.params['primary_slot_name'], undefined);
    assert.doesNotMatch(String(noSlot.params['primary_conninfo']), /target_session_attrs/);
  });

  it('no slot when use_slots is off', () => {
    const plan = buildRecoveryParams(
      { ...input, useSlots: false },
      { name: 'n1', connUrl: 'postgres://h:1/postgres' },
    );
    assert.equal(plan.params['primary_slot_name'], undefined);
  });
});
