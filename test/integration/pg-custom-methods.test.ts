import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, chown, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { postgresOwner } from '../support/os-user.js';
import { freePort } from '../support/ports.js';
import { makeTempDir, removeTempDir } from '../support/tmpdir.js';
import {
  PG_BIN_DIR,
  killPostmaster,
  makePgOptions,
  makeTestPostgresql,
  sql,
  waitFor,
} from '../support/postgres.js';
import type { TestPg } from '../support/postgres.js';

/** A script that appends its argv (one line) to `<dir>/<log>` and then runs `body`. */
async function script(dir: string, name: string, body: string): Promise<string> {
  const path = join(dir, name);
  const log = join(dir, `${name}.args`);
  await writeFile(path, `#!/bin/sh\necho "$@" >> '${log}'\n${body}\n`);
  await chmod(path, 0o755);
  const owner = postgresOwner();
  if (owner !== null) await chown(path, owner.uid, owner.gid);
  return path;
}

async function argsOf(dir: string, name: string): Promise<string[]> {
  const text = await readFile(join(dir, `${name}.args`), 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l !== '');
}

describe('custom bootstrap and replica methods, callbacks', { timeout: 300_000 }, () => {
  let dir: string;
  let node: TestPg;

  before(async () => {
    dir = await makeTempDir('pg-custom-');
  });

  after(async () => {
    await node.pg.close();
    await killPostmaster(node.options.dataDir);
    await removeTempDir(dir);
  });

  it('runs a custom bootstrap method with --scope and --datadir, then starts the result', async () => {
    const initdb = await script(
      dir,
      'restore.sh',
      `for a in "$@"; do case "$a" in --datadir=*) D="\${a#--datadir=}";; esac; done\n` +
        `exec ${PG_BIN_DIR}/initdb -D "$D" -U postgres --auth-local=trust >/dev/null`,
    );
    const cb = await script(dir, 'cb.sh', 'exit 0');
    const port = await freePort();
    const base = makePgOptions(dir, port);
    node = makeTestPostgresql(
      makePgOptions(dir, port, {
        callbacks: { on_start: cb, on_stop: cb, on_restart: cb, on_reload: cb, on_role_change: cb },
        parameters: base.parameters,
      }),
    );
    const outcome = await node.pg.bootstrap({
      method: 'restore',
      methods: { restore: { command: `${initdb} --from 'last night'` } },
    });
    assert.equal(outcome, 'running');
    assert.deepEqual(await argsOf(dir, 'restore.sh'), [
      `--from last night --scope=batman --datadir=${node.options.dataDir}`,
    ]);
    assert.equal((await node.pg.observe()).inRecovery, false);
  });

  it('serves trust rules in pg_hba.conf until post_bootstrap has set the passwords', async () => {
    const hba = join(node.options.dataDir, 'pg_hba.conf');
    assert.match(await readFile(hba, 'utf8'), /host\tall\tpostgres\t127\.0\.0\.1\/32\ttrust/);
    await node.pg.postBootstrap({ method: 'restore' });
    await assert.rejects(stat(`${hba}.patroni-original`), /ENOENT/);
    assert.ok((await readFile(hba, 'utf8')).includes('host all all 127.0.0.1/32 md5\n'));
    await waitFor('md5 in force', async () => {
      try {
        await sql(
          {
            ...node.options,
            authentication: {
              ...node.options.authentication,
              superuser: { username: 'postgres', password: 'wrong' },
            },
          },
          'SELECT 1',
        );
        return false;
      } catch {
        return true;
      }
    });
    await assert.rejects(
      sql(
        {
          ...node.options,
          authentication: {
            ...node.options.authentication,
            superuser: { username: 'postgres', password: 'wrong' },
          },
        },
        'SELECT 1',
      ),
      /password authentication failed/,
    );
  });

  it('calls callbacks as <script> <action> <role> <scope>, without waiting for them', async () => {
    node.pg.callback('on_start', 'master');
    await waitFor('on_start callback', async () =>
      (await argsOf(dir, 'cb.sh')).includes('on_start master batman'),
    );
    await node.pg.reload();
    await waitFor('on_reload callback', async () =>
      (await argsOf(dir, 'cb.sh')).includes('on_reload master batman'),
    );
    await node.pg.restart();
    await waitFor('on_restart callback', async () =>
      (await argsOf(dir, 'cb.sh')).includes('on_restart master batman'),
    );
    await node.pg.stop({ mode: 'fast' });
    await waitFor('on_stop callback', async () =>
      (await argsOf(dir, 'cb.sh')).includes('on_stop master batman'),
    );
  });

  it('tries replica methods in order, with the documented arguments, falling back on failure', async () => {
    await script(dir, 'broken.sh', 'exit 3');
    const mine = await script(dir, 'mine.sh', 'exit 0');
    const port = await freePort();
    const replica = makeTestPostgresql(
      makePgOptions(dir, port, {
        name: 'replica1',
        createReplicaMethods: ['broken', 'mine', 'basebackup'],
        replicaMethods: {
          broken: { command: join(dir, 'broken.sh'), keep_data: true },
          mine: { command: `${mine} --flag`, keep_data: true, extra: 'v' },
        },
      }),
    );
    const result = await replica.pg.createReplica({
      name: 'leader',
      connUrl: 'postgres://127.0.0.1:5999/postgres',
    });
    assert.deepEqual(result, { ok: true, method: 'mine' });
    const dd = replica.options.dataDir;
    const conn = 'dbname=postgres user=replicator host=127.0.0.1 port=5999';
    assert.deepEqual(await argsOf(dir, 'broken.sh'), [
      `--keep_data=True --scope=batman --role=replica --datadir=${dd} --connstring=${conn}`,
    ]);
    assert.deepEqual(await argsOf(dir, 'mine.sh'), [
      `--flag --keep_data=True --extra=v --scope=batman --role=replica --datadir=${dd} --connstring=${conn}`,
    ]);
    const pgpass = await readFile(replica.options.pgpass, 'utf8');
    assert.equal(pgpass, '127.0.0.1:5999:*:replicator:rep-secret\n');
  });

  it('without a leader runs only no_leader methods; no_params passes only the user keys', async () => {
    const port = await freePort();
    await script(dir, 'wal.sh', 'exit 0');
    const replica = makeTestPostgresql(
      makePgOptions(dir, port, {
        name: 'replica2',
        createReplicaMethods: ['basebackup', 'wal'],
        replicaMethods: {
          wal: { command: join(dir, 'wal.sh'), no_leader: true, no_params: true, bucket: 's3://b' },
        },
      }),
    );
    assert.deepEqual(await replica.pg.createReplica(null), { ok: true, method: 'wal' });
    assert.deepEqual(await argsOf(dir, 'wal.sh'), ['--bucket=s3://b']);
  });

  it('hands a replica method no data directory (a restore script creates it)', async () => {
    const port = await freePort();
    // Like Patroni's own no_leader test method (shutil.copytree): fails on an existing target.
    await script(
      dir,
      'copytree.sh',
      `for a in "$@"; do case "$a" in --datadir=*) D="\${a#--datadir=}";; esac; done\n` +
        `[ -e "$D" ] && exit 4\nmkdir "$D"`,
    );
    const replica = makeTestPostgresql(
      makePgOptions(dir, port, {
        name: 'replica3',
        createReplicaMethods: ['copytree'],
        replicaMethods: { copytree: { command: join(dir, 'copytree.sh'), no_leader: '1' } },
      }),
    );
    const dd = replica.options.dataDir;
    await mkdir(dd, { recursive: true });
    await writeFile(join(dd, 'leftover'), 'x');
    assert.deepEqual(await replica.pg.createReplica(null), { ok: true, method: 'copytree' });
    await mkdir(dd, { recursive: true }); // empty this time
    assert.deepEqual(await replica.pg.createReplica(null), { ok: true, method: 'copytree' });
  });
});
