import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPatroniError } from '../../shared/errors.js';
import { silentLogger } from '../../shared/log/logger.js';
import { createDcs } from '../index.js';
import { Etcd2Dcs } from '../etcd2/index.js';
import { parseEtcd3Section, parseEtcdSection } from './options.js';

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

  it('createDcs refuses consul and kubernetes in one line naming the supported sections', async () => {
    for (const name of ['consul', 'kubernetes'] as const) {
      await assert.rejects(
        createDcs({ scope: 's', name: 'n', [name]: { host: 'x' } }, silentLogger),
        (e: unknown) =>
          isPatroniError(e, 'CONFIG_INVALID') &&
          e.message ===
            `${name}: this DCS is not supported by patroni-ts (supported DCS sections: etcd, etcd3, zookeeper, exhibitor)`,
      );
    }
    await assert.rejects(
      createDcs({ scope: 's', name: 'n' }, silentLogger),
      /Can not find suitable configuration/,
    );
  });

  it('createDcs builds an etcd v2 client for an etcd: section, without contacting etcd', async () => {
    const dcs = await createDcs(
      { scope: 'batman', name: 'n', etcd: { hosts: '127.0.0.1:1,127.0.0.1:2' } },
      silentLogger,
    );
    assert.ok(dcs instanceof Etcd2Dcs);
    assert.equal(dcs.basePath, '/service/batman');
    await dcs.close();
  });

  it("reads the etcd: section's shapes from the guides", () => {
    const G2 = { scope: 's', name: 'n' };
    const hostsOf = (section: Record<string, unknown>): readonly string[] =>
      parseEtcdSection('etcd', section, G2).hosts;
    assert.deepEqual(hostsOf({ hosts: '10.0.0.1:2379, 10.0.0.2:2379,10.0.0.3' }), [
      '10.0.0.1:2379',
      '10.0.0.2:2379',
      '10.0.0.3:2379',
    ]);
    assert.deepEqual(hostsOf({ hosts: ['10.0.0.1:2379', '10.0.0.2'] }), [
      '10.0.0.1:2379',
      '10.0.0.2:2379',
    ]);
    assert.deepEqual(hostsOf({ host: '10.0.0.1:2379' }), ['10.0.0.1:2379']);
    assert.deepEqual(hostsOf({ hosts: ['10.0.0.1'], port: 4001 }), ['10.0.0.1:4001']);
    const url = parseEtcdSection('etcd', { url: 'https://u:p%40ss@etcd.local:2379' }, G2);
    assert.deepEqual(
      [url.hosts, url.protocol, url.username, url.password, url.useProxies],
      [['etcd.local:2379'], 'https', 'u', 'p@ss', undefined],
    );
    const proxy = parseEtcdSection('etcd', { proxy: 'http://proxy:2379' }, G2);
    assert.deepEqual([proxy.hosts, proxy.useProxies], [['proxy:2379'], true]);
    const srv = parseEtcdSection('etcd', { srv: 'example.org', srv_suffix: 'a' }, G2);
    assert.deepEqual([srv.hosts, srv.srv, srv.srvSuffix], [[], 'example.org', 'a']);
    const auth = parseEtcdSection(
      'etcd',
      { host: 'h', protocol: 'https', username: 'u', password: 'p', cacert: '/ca' },
      G2,
    );
    assert.deepEqual([auth.protocol, auth.username, auth.cacert], ['https', 'u', '/ca']);
    assert.equal(parseEtcdSection('etcd', { host: 'h', use_proxies: true }, G2).useProxies, true);
    assert.throws(
      () => parseEtcdSection('etcd', { protocol: 'ftp', host: 'h' }, G2),
      /^PatroniError: etcd\.protocol:|etcd\.protocol:/,
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
