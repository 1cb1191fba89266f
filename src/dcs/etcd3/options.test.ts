import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPatroniError } from '../../shared/errors.js';
import { silentLogger } from '../../shared/log/logger.js';
import { createDcs } from '../index.js';
import { parseEtcd3Section } from './options.js';

const G = { scope: 'batman', name: 'node1' };

describe('etcd3 section of patroni.yml', () => {
  it('takes hosts as a list or a comma-separated string, adding the default port', () => {
    assert.deepEqual(parseEtcd3Section({ hosts: ['10.0.0.1:2379', '10.0.0.2'] }, G).hosts, [
      '10.0.0.1:2379',
      '10.0.0.2:2379',
    ]);
    assert.deepEqual(parseEtcd3Section({ hosts: '10.0.0.1:2379, 10.0.0.2:2380' }, G).hosts, [
      '10.0.0.1:2379',
      '10.0.0.2:2380',
    ]);
    assert.deepEqual(parseEtcd3Section({ host: '127.0.0.1' }, G).hosts, ['127.0.0.1:2379']);
    assert.deepEqual(parseEtcd3Section({}, G).hosts, ['127.0.0.1:2379']);
  });

  it('reads url, protocol, TLS and auth, with Patroni defaults for timing', () => {
    const o = parseEtcd3Section(
      { url: 'https://etcd.local:2379', cacert: '/ca.pem', username: 'u', password: 'p' },
      { ...G, ttl: 20 },
    );
    assert.deepEqual(
      [o.hosts, o.protocol, o.cacert, o.username],
      [['etcd.local:2379'], 'https', '/ca.pem', 'u'],
    );
    assert.deepEqual([o.ttl, o.loopWait, o.retryTimeout], [20, 10, 10]);
    assert.equal(parseEtcd3Section({ cacert: '/ca.pem' }, G).protocol, 'https', 'a CA implies TLS');
  });

  it('names the bad field', () => {
    const bad = (section: Record<string, unknown>, field: string): void => {
      assert.throws(
        () => parseEtcd3Section(section, G),
        (e: unknown) =>
          isPatroniError(e, 'CONFIG_INVALID') && e.message.startsWith(`etcd3.${field}:`),
      );
    };
    bad({ protocol: 'ftp' }, 'protocol');
    bad({ hosts: 5 }, 'hosts');
    bad({ username: 'u' }, 'password');
    bad({ url: 'not a url' }, 'url');
  });

  it('createDcs refuses a configuration without a supported DCS, saying why', async () => {
    await assert.rejects(
      createDcs({ scope: 's', name: 'n', etcd: { host: 'x' } }, silentLogger),
      /etcd: this DCS is not supported yet/,
    );
    await assert.rejects(
      createDcs({ scope: 's', name: 'n' }, silentLogger),
      /Can not find suitable configuration/,
    );
  });

  it('createDcs builds an etcd3 client without contacting etcd', async () => {
    const dcs = await createDcs(
      { scope: 'batman', namespace: 'svc', name: 'n', etcd3: { hosts: ['127.0.0.1:1'] } },
      silentLogger,
    );
    assert.equal(dcs.basePath, '/svc/batman');
    assert.equal(dcs.name, 'n');
    await dcs.close();
  });
});
