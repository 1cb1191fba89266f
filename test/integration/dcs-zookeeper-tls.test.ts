/**
 * `zookeeper: {use_ssl: true, ...}` against a ZooKeeper that serves TLS and demands client
 * certificates: the certificates of patroni.yml are used, and a server the CA does not vouch
 * for is refused unless `verify: false`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isPatroniError } from '../../src/shared/errors.js';
import { silentLogger } from '../../src/shared/log/logger.js';
import { createDcs } from '../../src/dcs/index.js';
import type { Dcs } from '../../src/dcs/port.js';
import { makeTestPki, type TestPki } from '../support/etcd-tls.js';
import { makeTempDir, removeTempDir } from '../support/tmpdir.js';
import { startZooKeeper, type ZooKeeperHandle } from '../support/zookeeper.js';
import { rawZooKeeper } from '../support/zookeeper-store.js';
import { TlsTunnels } from '../../src/dcs/zookeeper/tls-tunnel.js';
import zookeeper from 'node-zookeeper-client';

let zk: ZooKeeperHandle;
let pki: TestPki;
let dir: string;
const opened: Dcs[] = [];

before(async () => {
  dir = await makeTempDir('patroni-ts-zk-tls-');
  pki = await makeTestPki(dir);
  zk = await startZooKeeper({ tls: { pki, clientAuth: true } });
});

after(async () => {
  await Promise.all(opened.map((d) => d.close()));
  await zk.destroy();
  await removeTempDir(dir);
});

async function client(
  section: Record<string, unknown>,
  retryTimeout = 2,
  scope = 'tls',
): Promise<Dcs> {
  const dcs = await createDcs(
    {
      scope,
      name: 'node1',
      ttl: 10,
      loop_wait: 1,
      retry_timeout: retryTimeout,
      zookeeper: { hosts: [zk.secureHostPort], use_ssl: true, ...section },
    },
    silentLogger,
  );
  opened.push(dcs);
  return dcs;
}

describe('zookeeper over TLS (use_ssl)', () => {
  it('connects with the CA and client certificate of patroni.yml', async () => {
    // The first TLS handshakes of a cold JVM can be slow on a busy machine.
    const dcs = await client({ cacert: pki.caFile, cert: pki.clientCert, key: pki.clientKey }, 20);
    assert.equal(await dcs.attemptToAcquireLeader(), true);
    assert.equal((await dcs.getCluster()).leader?.name, 'node1');
    await dcs.close();
  });

  it('is refused without a client certificate, within retry_timeout', async () => {
    const dcs = await client({ cacert: pki.caFile });
    const t0 = performance.now();
    await assert.rejects(dcs.getCluster(), (e: unknown) => isPatroniError(e, 'DCS_UNREACHABLE'));
    assert.ok(performance.now() - t0 < 4000);
  });

  it('refuses a server the CA does not vouch for, unless verify is false', async () => {
    const untrusted = await client({ cert: pki.clientCert, key: pki.clientKey });
    await assert.rejects(untrusted.getCluster(), (e: unknown) =>
      isPatroniError(e, 'DCS_UNREACHABLE'),
    );
    const unverified = await client(
      { cert: pki.clientCert, key: pki.clientKey, verify: false },
      20,
    );
    assert.ok((await unverified.getCluster()).members.length >= 0);
  });

  it('set_acls: nodes carry the x509 ACL of patroni.yml; a client without that certificate may not read them', async () => {
    const dcs = await client(
      {
        cacert: pki.caFile,
        cert: pki.clientCert,
        key: pki.clientKey,
        set_acls: { 'CN=patroni': ['ALL'], 'CN=monitor': ['read'] },
      },
      20,
      'acl',
    );
    assert.equal(await dcs.initialize(true, '7000000000000000001'), true);
    assert.equal(await dcs.attemptToAcquireLeader(), true);
    assert.equal((await dcs.getCluster()).leader?.name, 'node1', 'its own certificate may read');

    // The ACL as a holder of the certificate sees it (getACL itself needs READ).
    const tunnels = await TlsTunnels.open(
      [zk.secureHostPort ?? ''],
      { cacert: pki.caFile, cert: pki.clientCert, key: pki.clientKey, verify: true },
      silentLogger,
    );
    const holder = rawZooKeeper(tunnels.hosts[0] ?? '');
    const stranger = rawZooKeeper(zk.hostPort);
    try {
      const acl = await new Promise<zookeeper.ACL[]>((resolve, reject) => {
        holder.client.getACL('/service/acl/leader', (error: unknown, acls) => {
          if (error instanceof Error) reject(error);
          else resolve(acls);
        });
      });
      assert.deepEqual(
        // The library names the field `permission`; its typings say `perms`.
        acl.map((a) => [a.id.scheme, a.id.id, (a as unknown as { permission: number }).permission]),
        [
          ['x509', 'CN=patroni', zookeeper.Permission.ALL],
          ['x509', 'CN=monitor', zookeeper.Permission.READ],
        ],
      );
      await assert.rejects(stranger.getData('/service/acl/initialize'), /NO_AUTH/);
    } finally {
      await dcs.deleteCluster().catch(() => undefined);
      holder.client.close();
      stranger.client.close();
      tunnels.close();
    }
  });

  it('set_acls: a permission ZooKeeper does not know is refused, naming the entry', async () => {
    await assert.rejects(
      client({ cacert: pki.caFile, set_acls: { 'CN=patroni': ['RAED'] } }),
      /zookeeper\.set_acls\.CN=patroni: unknown permission 'RAED'/,
    );
  });

  it('a plain client is not served on the TLS port', async () => {
    const plain = await createDcs(
      {
        scope: 'tls',
        name: 'node2',
        retry_timeout: 2,
        zookeeper: { hosts: [zk.secureHostPort] },
      },
      silentLogger,
    );
    opened.push(plain);
    await assert.rejects(plain.getCluster(), (e: unknown) => isPatroniError(e, 'DCS_UNREACHABLE'));
  });
});
