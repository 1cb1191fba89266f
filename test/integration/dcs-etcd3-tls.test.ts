import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPatroniError } from '../../src/shared/errors.js';
import { silentLogger } from '../../src/shared/log/logger.js';
import { createDcs } from '../../src/dcs/index.js';
import { NO_OPENSSL, useTlsEtcd } from '../support/tls-etcd.js';

const tls = useTlsEtcd();

describe(
  'etcd3 adapter over TLS with client certificates',
  { skip: NO_OPENSSL && 'openssl is not installed' },
  () => {
    it('talks to etcd with cacert, cert and key from the etcd3 section', async () => {
      const dcs = await createDcs(
        {
          scope: 'batman',
          name: 'node1',
          retry_timeout: 3,
          etcd3: {
            hosts: tls.etcd.hostPort,
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
      } finally {
        await dcs.close();
      }
    });

    it('without a client certificate the call is refused within retry_timeout', async () => {
      const dcs = await createDcs(
        {
          scope: 'batman',
          name: 'node2',
          retry_timeout: 2,
          etcd3: { hosts: tls.etcd.hostPort, protocol: 'https', cacert: tls.pki.caFile },
        },
        silentLogger,
      );
      try {
        const t0 = performance.now();
        await assert.rejects(dcs.getCluster(), (e: unknown) =>
          isPatroniError(e, 'DCS_UNREACHABLE'),
        );
        assert.ok(performance.now() - t0 < 3500);
      } finally {
        await dcs.close();
      }
    });
  },
);
