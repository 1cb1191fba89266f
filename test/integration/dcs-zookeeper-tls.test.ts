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

async function client(section: Record<string, unknown>, retryTimeout = 2): Promise<Dcs> {
  const dcs = await createDcs(
    {
      scope: 'tls',
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
