import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPatroniError } from '../shared/errors.js';
import { loadCtlConfig, type LoadOptions } from './config.js';
import { parseDcsUrl } from './dcs-url.js';

describe('-d/--dcs-url', () => {
  it('takes scheme, host, port and namespace, with defaults', () => {
    assert.deepEqual(parseDcsUrl('etcd3://10.0.0.1:2399'), {
      section: { etcd3: { host: '10.0.0.1:2399' } },
      namespace: null,
    });
    assert.deepEqual(parseDcsUrl(''), {
      section: { etcd: { host: 'localhost:2379' } },
      namespace: null,
    });
    assert.deepEqual(parseDcsUrl('etcd://:2399'), {
      section: { etcd: { host: 'localhost:2399' } },
      namespace: null,
    });
    assert.deepEqual(parseDcsUrl('host:8500'), {
      section: { consul: { host: 'host:8500' } },
      namespace: null,
    });
    assert.deepEqual(parseDcsUrl('zookeeper://zk/ns'), {
      section: { zookeeper: { hosts: ['zk:2181'] } },
      namespace: '/ns',
    });
    assert.throws(() => parseDcsUrl('redis://x'), /^PatroniError: Unknown dcs scheme: redis$/);
  });
});

describe('configuration discovery', () => {
  let dir = '';
  const opts = (o: Partial<LoadOptions>): LoadOptions => ({
    configFile: null,
    dcsUrl: null,
    insecure: false,
    env: {},
    defaultConfigFile: join(dir, 'absent', 'patronictl.yaml'),
    ...o,
  });
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ctl-config-'));
    writeFileSync(
      join(dir, 'patroni.yml'),
      [
        'scope: batman',
        'namespace: /custom/',
        'etcd3:',
        '  hosts: 10.0.0.1:2379,10.0.0.2:2379',
        'restapi:',
        '  cafile: /ca.pem',
        '  authentication: {username: api, password: pw}',
        'ctl:',
        '  insecure: true',
        '',
      ].join('\n'),
    );
    mkdirSync(join(dir, 'conf.d'));
    writeFileSync(join(dir, 'conf.d', '00-base.yml'), 'scope: a\nctl: {certfile: /c.pem}\n');
    writeFileSync(join(dir, 'conf.d', '10-over.yaml'), 'scope: b\n');
    writeFileSync(join(dir, 'conf.d', 'ignored.txt'), 'scope: c\n');
    writeFileSync(join(dir, 'broken.yml'), 'scope: [unclosed\n');
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads scope, namespace, DCS and REST settings from a patroni.yml', async () => {
    const c = await loadCtlConfig(opts({ configFile: join(dir, 'patroni.yml') }));
    assert.equal(c.scope, 'batman');
    assert.equal(c.namespace, '/custom/');
    assert.deepEqual(c.raw['etcd3'], { hosts: '10.0.0.1:2379,10.0.0.2:2379' });
    assert.deepEqual(c.rest, {
      auth: 'api:pw',
      cacert: '/ca.pem',
      certfile: null,
      keyfile: null,
      keyfilePassword: null,
      insecure: true,
    });
  });

  it('merges a directory of yml/yaml files in name order', async () => {
    const c = await loadCtlConfig(opts({ configFile: join(dir, 'conf.d') }));
    assert.equal(c.scope, 'b');
    assert.equal(c.rest.certfile, '/c.pem');
  });

  it('-d replaces the DCS section; PATRONI_* variables override the file', async () => {
    const c = await loadCtlConfig(
      opts({
        configFile: join(dir, 'patroni.yml'),
        dcsUrl: 'etcd3://127.0.0.1:1234',
        env: { PATRONI_SCOPE: 'robin', PATRONI_CTL_USERNAME: 'u', PATRONI_CTL_PASSWORD: 'p' },
      }),
    );
    assert.equal(c.scope, 'robin');
    assert.deepEqual(c.raw['etcd3'], { host: '127.0.0.1:1234' });
    assert.equal(c.rest.auth, 'u:p');
  });

  it('a missing default file is fine; a missing or broken given file is a clear error', async () => {
    assert.equal((await loadCtlConfig(opts({}))).scope, null);
    assert.equal(
      (await loadCtlConfig(opts({ env: { PATRONI_SCOPE: 'envonly' } }))).scope,
      'envonly',
    );
    await assert.rejects(
      loadCtlConfig(opts({ configFile: join(dir, 'nope.yml') })),
      (e) => isPatroniError(e, 'CONFIG_NOT_FOUND') && e.message.includes(join(dir, 'nope.yml')),
    );
    await assert.rejects(
      loadCtlConfig(opts({ configFile: join(dir, 'broken.yml') })),
      (e) => isPatroniError(e, 'CONFIG_SYNTAX') && e.message.includes(join(dir, 'broken.yml')),
    );
  });
});
