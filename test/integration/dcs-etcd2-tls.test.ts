import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger } from '../../src/shared/log/logger.js';
import { createDcs } from '../../src/dcs/index.js';
import { NO_OPENSSL, useTlsEtcd } from '../support/tls-etcd.js';

const tls = useTlsEtcd({ enableV2: true });

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
            hosts: [tls.etcd.hostPort],
            protocol: 'https',
            cacert: tls.pki.caFile,
            cert: tls.pki.clientCert,
            key: tls.pki.clientKey,
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
          etcd: { host: tls.etcd.hostPort, protocol: 'https', cacert: tls.pki.caFile },
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
