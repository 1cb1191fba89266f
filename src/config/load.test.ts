import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isPatroniError } from '../shared/errors.js';
import { configSource, loadConfig } from './load.js';

const BASE = `
scope: batman
name: node1
restapi:
  listen: 127.0.0.1:8008
  connect_address: 10.0.0.1:8008
etcd3:
  hosts: 127.0.0.1:2379
postgresql:
  listen: 127.0.0.1:5432
  connect_address: 10.0.0.1:5432
  data_dir: /data
  authentication:
    superuser: {username: postgres, password: secret}
    replication: {username: replicator, password: rep}
`;

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patroni-ts-load-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, text);
  return path;
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  assert.fail('expected a rejection');
}

describe('loadConfig', () => {
  it('reads one file and normalises lenient values', async () => {
    const path = await file('one.yml', `${BASE}\ntags:\n  nofailover: 'yes'\n  nosync: on\n`);
    const { config, source } = await loadConfig(path, {});
    assert.equal(config.scope, 'batman');
    assert.deepEqual(config.etcd3?.hosts, ['127.0.0.1:2379']);
    assert.equal(config.tags?.nofailover, true);
    assert.equal(config.tags.nosync, true, 'YAML 1.1 reads bare on as true, like PyYAML');
    assert.equal(source.kind, 'file');
  });

  it('merges a directory of *.yml/*.yaml in sorted order, later files winning', async () => {
    await file('d/10-base.yml', BASE);
    await file(
      'd/20-override.yaml',
      'name: node2\npostgresql:\n  parameters:\n    work_mem: 8MB\n',
    );
    await file('d/05-ignored.txt', 'name: nope\n');
    await file('d/30-last.yml', 'postgresql:\n  parameters:\n    work_mem: 16MB\n');
    const { config, source } = await loadConfig(join(dir, 'd'), {});
    assert.equal(config.name, 'node2');
    assert.equal(config.postgresql.parameters?.['work_mem'], '16MB');
    assert.equal(config.postgresql.data_dir, '/data', 'keys of earlier files survive');
    assert.equal(source.kind, 'directory');
  });

  it('PATRONI_* variables override the file', async () => {
    const path = await file('env.yml', BASE);
    const { config } = await loadConfig(path, {
      PATRONI_NAME: 'from-env',
      PATRONI_ETCD3_HOSTS: "'10.0.0.5:2379','10.0.0.6:2379'",
      PATRONI_SUPERUSER_PASSWORD: 'env-secret',
    });
    assert.equal(config.name, 'from-env');
    assert.deepEqual(config.etcd3?.hosts, ['10.0.0.5:2379', '10.0.0.6:2379']);
    assert.equal(config.postgresql.authentication.superuser.password, 'env-secret');
    assert.equal(config.postgresql.authentication.superuser.username, 'postgres');
  });

  it('uses PATRONI_CONFIGURATION alone when no file is given', async () => {
    const { config, source } = await loadConfig(undefined, {
      PATRONI_CONFIGURATION: BASE,
      PATRONI_NAME: 'not-merged',
    });
    assert.equal(config.name, 'node1');
    assert.equal(source.kind, 'environment-yaml');
  });

  it('builds the config from PATRONI_* variables alone as a last resort', async () => {
    const { config, source } = await loadConfig(undefined, {
      PATRONI_NAME: 'n',
      PATRONI_SCOPE: 's',
      PATRONI_RESTAPI_LISTEN: '127.0.0.1:8008',
      PATRONI_RESTAPI_CONNECT_ADDRESS: '10.0.0.1:8008',
      PATRONI_ETCD3_HOST: '127.0.0.1:2379',
      PATRONI_POSTGRESQL_LISTEN: '127.0.0.1:5432',
      PATRONI_POSTGRESQL_CONNECT_ADDRESS: '10.0.0.1:5432',
      PATRONI_POSTGRESQL_DATA_DIR: '/data',
      PATRONI_SUPERUSER_USERNAME: 'postgres',
      PATRONI_REPLICATION_USERNAME: 'rep',
    });
    assert.equal(config.etcd3?.host, '127.0.0.1:2379');
    assert.equal(source.kind, 'environment');
    assert.ok(source.consumedEnv.includes('PATRONI_SUPERUSER_USERNAME'));
  });

  it('reports YAML syntax errors with file, line and column', async () => {
    const path = await file('bad.yml', 'scope: batman\nrestapi:\n  listen: [1, 2\nname: x\n');
    const err = await rejection(loadConfig(path, {}));
    assert.ok(isPatroniError(err, 'CONFIG_SYNTAX'));
    assert.match(
      err.message,
      new RegExp(`^${path.replace(/[.]/g, '\\.')}:\\d+:\\d+: invalid YAML`),
    );
    assert.equal((err as { details: { line?: number } }).details.line, 4);
  });

  it('reports a tab-indented file at the offending line', async () => {
    const path = await file('tab.yml', 'scope: batman\nrestapi:\n\tlisten: x\n');
    const err = await rejection(loadConfig(path, {}));
    assert.ok(isPatroniError(err, 'CONFIG_SYNTAX'));
    assert.match(err.message, /tab\.yml:3:1: invalid YAML/);
  });

  it('a missing file is CONFIG_NOT_FOUND, naming the path', async () => {
    const err = await rejection(loadConfig(join(dir, 'nope.yml'), {}));
    assert.ok(isPatroniError(err, 'CONFIG_NOT_FOUND'));
    assert.match(err.message, /nope\.yml does not exist/);
  });

  it('an invalid config is CONFIG_INVALID listing every problem, without secrets', async () => {
    const path = await file(
      'invalid.yml',
      BASE.replace('name: node1\n', '') + 'tags:\n  nosync: x\n',
    );
    const err = await rejection(loadConfig(path, {}));
    assert.ok(isPatroniError(err, 'CONFIG_INVALID'));
    assert.match(err.message, /name {2}is not defined\./);
    assert.match(err.message, /tags\.nosync x is not a boolean/);
    assert.doesNotMatch(err.message, /secret/);
  });

  it('an empty file is "Config is empty."', async () => {
    const path = await file('empty.yml', '# nothing\n');
    const err = await rejection(loadConfig(path, {}));
    assert.equal(err.message, 'Config is empty.');
  });

  it('reload re-reads the file with the environment captured at startup', async () => {
    const path = await file('reload.yml', BASE);
    const env: Record<string, string> = { PATRONI_NAME: 'captured' };
    const source = configSource(path, env);
    env['PATRONI_NAME'] = 'changed-later';
    await writeFile(path, BASE.replace('scope: batman', 'scope: robin'));
    const { config } = await source.load();
    assert.equal(config.scope, 'robin');
    assert.equal(config.name, 'captured');
  });
});

describe('reloadLocalConfig', () => {
  it('says whether the re-read config differs from the running one', async () => {
    const { reloadLocalConfig, NO_LOCAL_CHANGES } = await import('./reload.js');
    const path = await file('reload-diff.yml', BASE);
    const source = configSource(path, {});
    const first = await source.load();
    assert.equal((await reloadLocalConfig(source, first.config)).changed, false);
    await writeFile(path, `${BASE}\ntags:\n  nosync: true\n`);
    const second = await reloadLocalConfig(source, first.config);
    assert.equal(second.changed, true);
    assert.equal(second.config.tags?.nosync, true);
    assert.equal(NO_LOCAL_CHANGES, 'No local configuration items changed.');
  });
});
