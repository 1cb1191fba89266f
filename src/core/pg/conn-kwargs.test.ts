import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  credentialKwargs,
  localAddress,
  memberConnKwargs,
  rewindSourceKwargs,
  tcpLocalHost,
} from './conn-kwargs.js';
import { formatConninfo } from './conninfo.js';
import type { PgCredentials } from './options.js';
import { buildRecoveryParams } from './recovery.js';

/** The suite's replication user: TLS with a client certificate (environment.py of 3.0.2). */
const replication: PgCredentials = {
  username: 'replicator',
  password: 'rep-pass',
  libpq: {
    sslmode: 'verify-ca',
    sslrootcert: '/t/cert.pem',
    sslcert: '/t/cert.pem',
    sslkey: '/t/key.pem',
    sslcrl: '/t/crl.pem',
    sslcrldir: '/t/crl.d',
    sslpassword: 'kp',
    gssencmode: 'disable',
    channel_binding: 'require',
  },
};

describe('connection keywords of authentication users', () => {
  it('credentialKwargs: username becomes user, every ssl/gss key kept', () => {
    assert.deepEqual(credentialKwargs(replication), {
      ...replication.libpq,
      user: 'replicator',
      password: 'rep-pass',
    });
  });

  it('memberConnKwargs: address from the conn_url, the user on top (Member.conn_kwargs)', () => {
    assert.deepEqual(memberConnKwargs('postgres://127.0.0.1:5362/postgres'), {
      host: '127.0.0.1',
      port: '5362',
      dbname: 'postgres',
    });
    assert.equal(memberConnKwargs('postgres://h/db')?.['port'], '5432');
    assert.equal(memberConnKwargs('not a url'), null);
    const kw = memberConnKwargs('postgres://127.0.0.1:5362/postgres', replication);
    assert.ok(kw !== null);
    assert.equal(kw['sslkey'], '/t/key.pem');
    assert.equal(kw['user'], 'replicator');
  });

  it('the clone dsn carries every libpq setting of the replication user, never the password', () => {
    const kw = memberConnKwargs('postgres://127.0.0.1:5362/postgres', replication);
    assert.ok(kw !== null);
    assert.equal(
      formatConninfo(kw, true),
      'dbname=postgres user=replicator host=127.0.0.1 port=5362 sslmode=verify-ca sslcert=/t/cert.pem sslkey=/t/key.pem sslpassword=kp sslrootcert=/t/cert.pem sslcrl=/t/crl.pem sslcrldir=/t/crl.d gssencmode=disable channel_binding=require',
    );
  });

  it('pg_rewind source: database defaulted, read-write session unless the user set one', () => {
    const kw = memberConnKwargs('postgres://10.0.0.1:5432', {
      username: 'rewind_user',
      libpq: { sslmode: 'require' },
    });
    assert.ok(kw !== null);
    assert.equal(
      formatConninfo(rewindSourceKwargs(kw, 'postgres'), true),
      'dbname=postgres user=rewind_user host=10.0.0.1 port=5432 sslmode=require target_session_attrs=read-write',
    );
    assert.equal(
      rewindSourceKwargs({ ...kw, target_session_attrs: 'any' }, 'x')['target_session_attrs'],
      'any',
    );
  });

  it('primary_conninfo carries them too', () => {
    const plan = buildRecoveryParams(
      {
        selfName: 'postgres1',
        replication,
        recoveryConf: {},
        useSlots: true,
        pgpassPath: '/tmp/pgpass1',
      },
      { name: 'postgres0', connUrl: 'postgres://127.0.0.1:5361/postgres' },
    );
    assert.equal(
      plan.params['primary_conninfo'],
      'user=replicator passfile=/tmp/pgpass1 host=127.0.0.1 port=5361 sslmode=verify-ca sslcert=/t/cert.pem sslkey=/t/key.pem sslpassword=kp sslrootcert=/t/cert.pem sslcrl=/t/crl.pem sslcrldir=/t/crl.d application_name=postgres1 gssencmode=disable channel_binding=require',
    );
  });
});

describe('local addresses (use_unix_socket, use_unix_socket_repl)', () => {
  const base = { listen: '127.0.0.1:5361', parameters: {} };

  it('TCP by default: localhost for loopback or wildcard listens, else the first host', () => {
    assert.deepEqual(localAddress(base), { host: 'localhost', port: 5361 });
    assert.equal(tcpLocalHost('*:5432'), 'localhost');
    assert.equal(tcpLocalHost('10.0.0.5,10.0.0.6:5432'), '10.0.0.5');
  });

  it('the first absolute unix_socket_directories entry, each switch on its own', () => {
    const o = {
      ...base,
      parameters: { unix_socket_directories: '@abstract, /tmp/s1,/tmp/s2' },
      useUnixSocket: true,
      useUnixSocketRepl: false,
    };
    assert.deepEqual(localAddress(o), { host: '/tmp/s1', port: 5361 });
    assert.deepEqual(localAddress(o, true), { host: 'localhost', port: 5361 });
    assert.deepEqual(localAddress({ ...o, useUnixSocketRepl: true }, true), {
      host: '/tmp/s1',
      port: 5361,
    });
  });

  it('libpq default socket without the parameter; TCP when it names no absolute directory', () => {
    assert.deepEqual(localAddress({ ...base, useUnixSocket: true }), { host: null, port: 5361 });
    assert.deepEqual(
      localAddress({
        ...base,
        parameters: { unix_socket_directories: '@abstract' },
        useUnixSocket: true,
      }),
      { host: 'localhost', port: 5361 },
    );
  });
});
