import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildEnvConfig } from '../../config/env.js';
import { isPatroniError } from '../../shared/errors.js';
import { silentLogger } from '../../shared/log/logger.js';
import { createDcs } from '../index.js';
import { parseExhibitorSection } from './exhibitor.js';
import { parseZooKeeperSection } from './options.js';

const G = { scope: 'batman', name: 'node1' };

describe('zookeeper: section', () => {
  it('takes hosts as a comma-separated string or a list, with 2181 as the default port', () => {
    assert.deepEqual(parseZooKeeperSection({ hosts: 'z1:2181, z2,z3:2182' }, G).hosts, [
      'z1:2181',
      'z2:2181',
      'z3:2182',
    ]);
    assert.deepEqual(parseZooKeeperSection({ hosts: ['z1', '10.0.0.2:2281'] }, G).hosts, [
      'z1:2181',
      '10.0.0.2:2281',
    ]);
  });

  it("uses Patroni's timing defaults and the top-level ttl/loop_wait/retry_timeout", () => {
    const o = parseZooKeeperSection({ hosts: 'z1' }, G);
    assert.deepEqual([o.ttl, o.loopWait, o.retryTimeout], [30, 10, 10]);
    const t = parseZooKeeperSection({ hosts: 'z1' }, { ...G, ttl: 20, retryTimeout: 5 });
    assert.deepEqual([t.ttl, t.retryTimeout], [20, 5]);
  });

  it('maps use_ssl and its certificates as Patroni does (verify on by default)', () => {
    assert.equal(parseZooKeeperSection({ hosts: 'z1', cacert: '/ca' }, G).tls, undefined);
    const o = parseZooKeeperSection(
      { hosts: 'z1', use_ssl: true, cacert: '/ca', cert: '/c', key: '/k', key_password: 'pw' },
      G,
    );
    assert.deepEqual(o.tls, {
      cacert: '/ca',
      cert: '/c',
      key: '/k',
      keyPassword: 'pw',
      verify: true,
    });
    assert.equal(
      parseZooKeeperSection({ hosts: 'z1', use_ssl: 'on', verify: false }, G).tls?.verify,
      false,
    );
  });

  it('names the field of a bad value', () => {
    const bad = (section: Record<string, unknown>, field: string): void => {
      assert.throws(
        () => parseZooKeeperSection(section, G),
        (e: unknown) =>
          isPatroniError(e, 'CONFIG_INVALID') && e.message.startsWith(`zookeeper.${field}:`),
      );
    };
    bad({ hosts: 5 }, 'hosts');
    bad({ hosts: '' }, 'hosts');
    bad({ hosts: 'z1', use_ssl: 'maybe' }, 'use_ssl');
  });
});

describe('exhibitor: section', () => {
  it('takes hosts, port and poll_interval (default 300 s)', () => {
    assert.deepEqual(parseExhibitorSection({ hosts: 'e1,e2', port: 8181 }), {
      hosts: ['e1', 'e2'],
      port: 8181,
      pollInterval: 300,
    });
    assert.equal(
      parseExhibitorSection({ hosts: ['e1'], port: 8181, poll_interval: 10 }).pollInterval,
      10,
    );
    assert.throws(() => parseExhibitorSection({ hosts: ['e1'] }), /exhibitor\.port/);
  });
});

describe('createDcs with zookeeper:', () => {
  it('builds a ZooKeeper client without contacting ZooKeeper', async () => {
    const dcs = await createDcs(
      { scope: 'batman', namespace: 'svc', name: 'n', zookeeper: { hosts: '127.0.0.1:1' } },
      silentLogger,
    );
    assert.equal(dcs.basePath, '/svc/batman');
    await dcs.close();
  });

  it('PATRONI_ZOOKEEPER_HOSTS gives the zookeeper section', async () => {
    const { config } = buildEnvConfig({ PATRONI_ZOOKEEPER_HOSTS: "'z1:2181','z2:2181'" });
    const section = config['zookeeper'] as Record<string, unknown>;
    assert.deepEqual(parseZooKeeperSection(section, G).hosts, ['z1:2181', 'z2:2181']);
    const dcs = await createDcs({ scope: 's', name: 'n', zookeeper: section }, silentLogger);
    await dcs.close();
  });
});

describe('zookeeper.set_acls', () => {
  it('maps each x509 principal to its permissions, any case, a single string as a list', () => {
    const o = parseZooKeeperSection(
      { hosts: 'z1', set_acls: { 'CN=patroni': ['read', 'Write'], 'CN=admin': 'ALL' } },
      G,
    );
    assert.deepEqual(o.acls, [
      { principal: 'CN=patroni', permissions: ['READ', 'WRITE'] },
      { principal: 'CN=admin', permissions: ['ALL'] },
    ]);
    assert.equal(parseZooKeeperSection({ hosts: 'z1' }, G).acls, undefined);
  });

  it('refuses what would lock every client out, naming the entry', () => {
    const bad: [unknown, RegExp][] = [
      [{ 'CN=p': ['RAED'] }, /set_acls\.CN=p: unknown permission 'RAED'/],
      [{ 'CN=p': [] }, /set_acls\.CN=p: no permission given/],
      [{ 'CN=p': 7 }, /set_acls\.CN=p: must be a list/],
      [{}, /set_acls: no principal given/],
      [['CN=p'], /set_acls: must be a mapping/],
    ];
    for (const [value, message] of bad) {
      assert.throws(() => parseZooKeeperSection({ hosts: 'z1', set_acls: value }, G), message);
    }
  });
});
