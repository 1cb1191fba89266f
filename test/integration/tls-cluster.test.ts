/**
 * A real three-node cluster whose every PostgreSQL user must present a client certificate
 * (`hostssl ... clientcert=verify-ca`, sslmode verify-ca), as Patroni's acceptance suite runs it:
 * clone (pg_basebackup), streaming (primary_conninfo), the daemons' own connections, failover,
 * and pg_rewind of the old leader all go through TLS with the users' certificates.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, chown, readFile } from 'node:fs/promises';
import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import { standDownOthers } from '../../src/daemon/lease/guardian.js';
import { SUPERUSER_PASSWORD, TestCluster, type TestNode } from '../support/cluster.js';
import { makeTestPki, type TestPki } from '../support/etcd-tls.js';
import { postgresOwner } from '../support/os-user.js';
import { waitFor } from '../support/postgres.js';
import { makeTempDir, removeTempDir } from '../support/tmpdir.js';

/** Key files as libpq and PostgreSQL demand them: the postgres account's, mode 0600. */
async function handToPostgres(pki: TestPki): Promise<void> {
  const owner = postgresOwner();
  const files = [pki.caFile, pki.serverCert, pki.serverKey, pki.clientCert, pki.clientKey];
  for (const file of files) {
    await chmod(file, file.endsWith('.key') ? 0o600 : 0o644);
    if (owner !== null) await chown(file, owner.uid, owner.gid);
  }
}

function userWithCert(pki: TestPki, username: string, password: string): Record<string, string> {
  return {
    username,
    password,
    sslmode: 'verify-ca',
    sslrootcert: pki.caFile,
    sslcert: pki.clientCert,
    sslkey: pki.clientKey,
  };
}

/** A physical replication connection attempt; resolves with the error, or 'connected'. */
async function tryReplication(node: TestNode, ssl: ConnectionOptions | false): Promise<string> {
  // `replication` is a startup parameter pg sends verbatim; its types do not list it.
  const config: pg.ClientConfig & { replication: string } = {
    host: '127.0.0.1',
    port: node.pgPort,
    user: 'replicator',
    password: 'rep-secret',
    database: 'postgres',
    connectionTimeoutMillis: 3000,
    ssl,
    replication: 'true',
  };
  const client = new pg.Client(config);
  client.on('error', () => undefined);
  try {
    await client.connect();
    return 'connected';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('a cluster whose users need client certificates', { timeout: 600_000 }, () => {
  let pkiDir: string;
  let pki: TestPki;
  let cluster: TestCluster;
  let leader: TestNode;

  before(async () => {
    pkiDir = await makeTempDir('patroni-ts-pki-');
    pki = await makeTestPki(pkiDir);
    await handToPostgres(pki);
    const clientTls: ConnectionOptions = {
      ca: await readFile(pki.caFile),
      cert: await readFile(pki.clientCert),
      key: await readFile(pki.clientKey),
      checkServerIdentity: () => undefined,
    };
    cluster = await TestCluster.start({
      clientTls,
      postgresql: {
        authentication: {
          superuser: userWithCert(pki, 'postgres', SUPERUSER_PASSWORD),
          replication: userWithCert(pki, 'replicator', 'rep-secret'),
          rewind: userWithCert(pki, 'rewind_user', 'rewind-secret'),
        },
        // Replaces initdb's trust lines: over TCP nothing gets in without a CA-signed client cert.
        pg_hba: [
          'hostssl replication replicator 127.0.0.1/32 md5 clientcert=verify-ca',
          'hostssl all all 127.0.0.1/32 md5 clientcert=verify-ca',
        ],
        parameters: {
          ssl: 'on',
          ssl_ca_file: pki.caFile,
          ssl_cert_file: pki.serverCert,
          ssl_key_file: pki.serverKey,
        },
      },
    });
  });
  after(async () => {
    await cluster.stop();
    await removeTempDir(pkiDir);
  });

  it('clones and streams over TLS with the replication user’s certificate', async () => {
    leader = await cluster.waitForHealthy();
    const replicas = cluster.nodes.filter((n) => n !== leader).map((n) => n.name);
    const senders = await leader.sql<{ name: string; ssl: boolean; dn: string | null }>(
      `SELECT r.application_name AS name, s.ssl, s.client_dn AS dn
         FROM pg_stat_replication r JOIN pg_stat_ssl s USING (pid) ORDER BY 1`,
    );
    assert.deepEqual(
      senders,
      replicas.sort().map((name) => ({ name, ssl: true, dn: '/CN=patroni' })),
    );
    // The server really demands the certificate: neither plain nor TLS without one gets in.
    assert.match(await tryReplication(leader, false), /no pg_hba\.conf entry/);
    const noCert = { ca: await readFile(pki.caFile), checkServerIdentity: () => undefined };
    assert.match(await tryReplication(leader, noCert), /certificate/);
  });

  it('fails over when the leader dies, and the diverged old leader rewinds and rejoins', async () => {
    const old = leader;
    await old.sql('CREATE TABLE kept AS SELECT 1 AS id');
    // Only the daemon dies: its PostgreSQL keeps running as a primary nobody follows any more
    // (its lease guardian, which would stop it before the key expires, is stood down too, so
    // that the old primary can take a write of its own and diverge).
    await old.stopDaemon('SIGKILL');
    assert.ok(standDownOthers(old.dataDir, -1) >= 1, 'the leader had a lease guardian');
    const next = await cluster.waitForLeader(120_000, old.name);
    const survivor = cluster.nodes.find((n) => n !== old && n !== next);
    assert.ok(survivor);
    await waitFor(
      'the other replica to stream from the new leader',
      async () => (await cluster.streamingFrom(next)).includes(survivor.name),
      120_000,
    );
    // A write only the old primary has: its history now diverges from the new leader's.
    await old.sql('CREATE TABLE lost AS SELECT 1 AS id');
    await old.kill9();
    await next.sql('CREATE TABLE after_failover AS SELECT 2 AS id');

    old.start();
    // The rewind first: a diverged standby started before it shows up as 'streaming' in
    // pg_stat_replication for a moment (its walreceiver asks for the start of a segment that is
    // still timeline 1 before the fork), so streaming alone does not prove the rejoin.
    await waitFor(
      'the old leader to finish pg_rewind',
      async () => (await old.log()).includes('pg_rewind finished successfully'),
      180_000,
    );
    await waitFor(
      'the old leader to stream from the new one',
      async () => (await cluster.streamingFrom(next)).includes(old.name),
      180_000,
    );
    const log = await old.log();
    // pg_rewind's source: the rewind user with its certificate, as Patroni's format_dsn has it.
    assert.match(
      log,
      /running pg_rewind from dbname=postgres user=rewind_user host=127\.0\.0\.1 port=\d+ sslmode=verify-ca sslcert=\S+client\.crt sslkey=\S+client\.key sslrootcert=\S+ca\.crt target_session_attrs=read-write/,
      // The whole log is too long for a CI report: the lines that tell how the node rejoined.
      log
        .split('\n')
        .filter((l) => /rewind|timeline|crash|secondary|basebackup|reinit|FATAL|ERROR/.test(l))
        .join('\n'),
    );
    await waitFor('after_failover on the old leader', async () => {
      const rows = await old
        .sql<{ t: string | null }>("SELECT to_regclass('after_failover')::text AS t")
        .catch(() => []);
      return rows[0]?.t === 'after_failover';
    });
    const lost = await old.sql<{ t: string | null }>("SELECT to_regclass('lost')::text AS t");
    assert.equal(lost[0]?.t, null, 'the diverged write was rewound away');
    assert.deepEqual(await old.sql('SELECT id FROM kept'), [{ id: 1 }]);
  });
});
