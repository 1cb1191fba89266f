import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../src/shared/log/logger.js';
import { createDcs } from '../../src/dcs/index.js';
import { startEtcd, type EtcdHandle } from '../support/etcd.js';
import { makeTestPki, type TestPki } from '../support/etcd-tls.js';
import { makeTempDir, removeTempDir } from '../support/tmpdir.js';

/** The PKI is made with openssl; without it the file is skipped, saying so. */
const NO_OPENSSL = spawnSync('openssl', ['version']).status !== 0;
let dir: string;
let pki: TestPki;
let etcd: EtcdHandle;

before(async () => {
  if (NO_OPENSSL) return;
  dir = await makeTempDir('patroni-ts-pki-');
  pki = await makeTestPki(dir);
  etcd = await startEtcd({
    enableV2: true,
    tls: {
      caFile: pki.caFile,
      certFile: pki.serverCert,
      keyFile: pki.serverKey,
      clientCertAuth: { certFile: pki.clientCert, keyFile: pki.clientKey },
    },
  });
});

after(async () => {
  if (NO_OPENSSL) return;
  await etcd.destroy();
  await removeTempDir(dir);
});

describe(
  'etcd2 adapter over TLS with client certificates',
  { skip: NO_OPENSSL && 'openssl is not installed' },
  () => {
    it('talks to etcd v2 with protocol, cacert, cert and key from the etcd section', async () => {
      const dcs = await createDcs(
        {
          scope: 'batman',
          name: 'node1',
          retry_timeout: 3,
          etcd: {
            hosts: [etcd.hostPort],
            protocol: 'https',
            cacert: pki.caFile,
            cert: pki.clientCert,
            key: pki.clientKey,
          },
        },
        silentLogger,
      );
      try {
        assert.equal(await dcs.attemptToAcquireLeader(), true);
        assert.equal((await dcs.getCluster()).leader?.name, 'node1');
        assert.equal(await dcs.updateLeader(7), true);
        assert.equal((await dcs.getCluster()).lastLsn, 7);
      } finally {
        await dcs.close();
      }
    });

    it('without a client certificate the call fails with DCS_UNREACHABLE', async () => {
      const dcs = await createDcs(
        {
          scope: 'batman',
          name: 'node2',
          retry_timeout: 2,
          etcd: { host: etcd.hostPort, protocol: 'https', cacert: pki.caFile },
        },
        silentLogger,
      );
      try {
        const t0 = performance.now();
        await assert.rejects(dcs.getCluster(), /DCS|etcd/);
        assert.ok(performance.now() - t0 < 3500);
      } finally {
        await dcs.close();
      }
    });
  },
);
