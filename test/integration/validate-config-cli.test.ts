/**
 * The `patroni` command line around validation: where the config comes from (file, directory,
 * PATRONI_CONFIGURATION, PATRONI_* alone), --print, --ignore-listen-port, --version,
 * --generate-sample-config, and one clear line with exit 1 (never a stack) for broken configs.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { runPatroni } from '../support/patroni-cli.js';
import { startEtcd, type EtcdHandle } from '../support/etcd.js';
import { freePort } from '../support/ports.js';
import { makeTempDir, removeTempDir } from '../support/tmpdir.js';
import { PATRONI_TS_VERSION } from '../../src/core/config/version.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN_DIR = '/usr/lib/postgresql/15/bin';

describe('patroni CLI', () => {
  let etcd: EtcdHandle | null = null;
  let busy: Server | null = null;
  let busyPort = 0;
  let work = '';
  let config = '';

  before(async () => {
    assert.ok(
      existsSync(join(ROOT, 'dist/cli/patroni.js')),
      'build first: npx tsc -p tsconfig.build.json',
    );
    work = await makeTempDir('patroni-ts-cli-');
    etcd = await startEtcd();
    const server = createServer();
    busy = server;
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const address = server.address();
    assert.ok(address !== null && typeof address !== 'string');
    busyPort = address.port;
    config = [
      'scope: batman',
      'name: node1',
      `restapi: {listen: '127.0.0.1:${await freePort()}', connect_address: '10.0.0.1:8008'}`,
      `etcd3: {hosts: '${etcd.hostPort}'}`,
      'postgresql:',
      `  listen: 127.0.0.1:${await freePort()}`,
      '  connect_address: 10.0.0.1:5432',
      `  data_dir: ${join(work, 'data')}`,
      `  bin_dir: ${BIN_DIR}`,
      '  authentication:',
      '    superuser: {username: postgres, password: supersecret}',
      '    replication: {username: replicator, password: repsecret}',
      '',
    ].join('\n');
  });

  after(async () => {
    await new Promise<void>((ok) => {
      if (busy === null) ok();
      else
        busy.close(() => {
          ok();
        });
    });
    await etcd?.destroy();
    if (work !== '') await removeTempDir(work);
  });

  it('--version prints the Patroni version we are compatible with', async () => {
    const r = await runPatroni(['--version']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `patroni 3.0.2 (patroni-ts ${PATRONI_TS_VERSION})\n`);
  });

  it('--validate-config --print dumps the local config (file + env) as YAML', async () => {
    const path = join(work, 'print.yml');
    await writeFile(path, config);
    const r = await runPatroni(['--validate-config', '--print', path], {
      PATRONI_NAME: 'from-env',
    });
    assert.equal(r.code, 0, r.stderr);
    const printed = parse(r.stdout) as Record<string, unknown>;
    assert.equal(printed['name'], 'from-env');
    assert.equal(printed['scope'], 'batman');
  });

  it('--ignore-listen-port accepts a busy listen port that otherwise fails', async () => {
    const path = join(work, 'busy.yml');
    await writeFile(
      path,
      config.replace(
        /restapi: \{listen: '127\.0\.0\.1:\d+'/,
        `restapi: {listen: '127.0.0.1:${busyPort}'`,
      ),
    );
    const strict = await runPatroni(['--validate-config', path]);
    assert.equal(strict.code, 1);
    assert.match(strict.stderr, new RegExp(`Port ${busyPort} is already in use`));
    const relaxed = await runPatroni(['--validate-config', '-i', path]);
    assert.equal(relaxed.code, 0, relaxed.stderr);
  });

  it('validates a directory of YAML files merged in sorted order', async () => {
    const dir = join(work, 'conf.d');
    await mkdir(dir);
    await writeFile(join(dir, '00-base.yml'), config);
    await writeFile(join(dir, '50-tags.yaml'), 'tags:\n  nosync: x\n');
    const bad = await runPatroni(['--validate-config', dir]);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, 'tags.nosync x is not a boolean\n');
    await writeFile(join(dir, '90-fix.yml'), 'tags:\n  nosync: true\n');
    const good = await runPatroni(['--validate-config', dir]);
    assert.equal(good.code, 0, good.stderr);
  });

  it('reads PATRONI_CONFIGURATION when no file is given', async () => {
    const ok = await runPatroni(['--validate-config'], { PATRONI_CONFIGURATION: config });
    assert.equal(ok.code, 0, ok.stderr);
    const bad = await runPatroni(['--validate-config'], {
      PATRONI_CONFIGURATION: config.replace('scope: batman\n', ''),
    });
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, 'scope  is not defined.\n');
  });

  it('builds the config from PATRONI_* variables alone', async () => {
    const env = {
      PATRONI_SCOPE: 'batman',
      PATRONI_NAME: 'node1',
      PATRONI_RESTAPI_LISTEN: `127.0.0.1:${await freePort()}`,
      PATRONI_RESTAPI_CONNECT_ADDRESS: '10.0.0.1:8008',
      PATRONI_ETCD3_HOSTS: `'${etcd?.hostPort ?? ''}'`,
      PATRONI_POSTGRESQL_LISTEN: `127.0.0.1:${await freePort()}`,
      PATRONI_POSTGRESQL_CONNECT_ADDRESS: '10.0.0.1:5432',
      PATRONI_POSTGRESQL_DATA_DIR: join(work, 'env-data'),
      PATRONI_POSTGRESQL_BIN_DIR: BIN_DIR,
      PATRONI_SUPERUSER_USERNAME: 'postgres',
      PATRONI_REPLICATION_USERNAME: 'replicator',
    };
    const ok = await runPatroni(['--validate-config'], env);
    assert.equal(ok.code, 0, ok.stderr);
    const { PATRONI_SUPERUSER_USERNAME: _dropped, ...missing } = env;
    const bad = await runPatroni(['--validate-config'], missing);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, 'postgresql.authentication.superuser  is not defined.\n');
  });

  it('a YAML syntax error names file, line and column; no stack trace', async () => {
    const path = join(work, 'syntax.yml');
    await writeFile(path, 'scope: batman\nrestapi:\n  listen: "unterminated\n');
    for (const args of [['--validate-config', path], [path]]) {
      const r = await runPatroni(args);
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        new RegExp(`^${path.replace(/\./g, '\\.')}:\\d+:\\d+: invalid YAML: `),
      );
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
  });

  it('running with an invalid config exits 1 listing the problems, without secrets', async () => {
    const path = join(work, 'invalid.yml');
    await writeFile(path, config.replace('scope: batman\n', 'scope: [a]\n'));
    const r = await runPatroni([path]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /scope \['a'\] is not a string/);
    assert.doesNotMatch(r.stderr, /supersecret|repsecret|\n\s+at /);
  });

  it('an empty config says "Config is empty." with the usage, exit 1', async () => {
    const path = join(work, 'empty.yml');
    await writeFile(path, '');
    const r = await runPatroni([path]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Config is empty.\n');
    assert.match(r.stdout, /Usage: patroni/);
  });

  it('a missing config file is one line naming it', async () => {
    const r = await runPatroni([join(work, 'nope.yml')]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `config file ${join(work, 'nope.yml')} does not exist\n`);
  });

  it('an unknown option is a usage error (exit 2, like argparse)', async () => {
    const r = await runPatroni(['--no-such-option']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown option/);
  });

  it('--generate-sample-config writes a 0600 YAML file with #FIXME placeholders', async () => {
    const path = join(work, 'sample.yml');
    const r = await runPatroni(['--generate-sample-config', path], { PATRONI_SCOPE: 'from-env' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    const text = await readFile(path, 'utf8');
    const sample = parse(text) as Record<string, Record<string, unknown>>;
    assert.equal(sample['scope'], 'from-env');
    assert.equal(sample['postgresql']?.['data_dir'], '#FIXME');
    assert.match(text, /^# .*bootstrap/m);
    const toStdout = await runPatroni(['--generate-sample-config']);
    assert.equal(toStdout.code, 0);
    assert.match(toStdout.stdout, /^scope: '#FIXME'$/m);
  });
});
