/**
 * Scripts the operator names with relative paths run from the daemon's working directory, with
 * Patroni 3.0.2's arguments appended (the acceptance suite runs `features/backup_create.py` and
 * `features/callback2.py` that way; from `/` they were not found). Real processes, a temp dir.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PostgresOptions } from '../core/pg/options.js';
import { NodeCommandRunner } from '../process/runner.js';
import { ManualClock } from '../shared/clock.js';
import { MemoryLogger } from '../shared/log/logger.js';
import { runCustomBootstrap, runPostBootstrapScript } from './bootstrap.js';
import { createPgContext } from './context.js';
import type { PgContext } from './context.js';
import { createReplica } from './replica.js';

/**
 * A script that appends its working directory and arguments, one per line, to `log`, and makes
 * the `--datadir=` it is given (as a restore would).
 */
function recorder(log: string): string {
  return (
    `#!/bin/sh\n{ echo "cwd=$(pwd)"; for a in "$@"; do echo "$a"; done; } >> '${log}'\n` +
    'for a in "$@"; do case "$a" in --datadir=*) mkdir -p "${a#--datadir=}";; esac; done\n'
  );
}

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('relative script paths resolve in the daemon’s working directory', () => {
  let work: string;
  let log: string;
  let ctx: PgContext;
  let options: PostgresOptions;

  const lines = async (): Promise<string[]> =>
    (await readFile(log, 'utf8').catch(() => '')).split('\n').filter((l) => l !== '');

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'scripts-cwd-'));
    log = join(work, 'calls.log');
    await mkdir(join(work, 'features'));
    const script = join(work, 'features', 'record.sh');
    await writeFile(script, recorder(log));
    await chmod(script, 0o755);
    // Like features/backup_restore.py (shutil.copytree): fails when the data directory exists.
    const copytree = join(work, 'features', 'copytree.sh');
    await writeFile(
      copytree,
      '#!/bin/sh\nfor a in "$@"; do case "$a" in --datadir=*) D="${a#--datadir=}";; esac; done\n' +
        'mkdir -p "$(dirname "$D")" && mkdir "$D" && echo restored > "$D/PG_VERSION"\n',
    );
    await chmod(copytree, 0o755);
    options = {
      scope: 'batman',
      name: 'postgres1',
      dataDir: join(work, 'data', 'postgres1'),
      binDir: '',
      listen: '127.0.0.1:5362',
      connectAddress: '127.0.0.1:5362',
      authentication: {
        superuser: {
          username: 'postgres',
          password: 'zalando',
          libpq: { sslmode: 'verify-ca', sslrootcert: '/c/ca.pem' },
        },
        replication: {
          username: 'replicator',
          password: 'rep-pass',
          libpq: { sslmode: 'verify-ca', sslcert: '/c/client.pem', sslkey: '/c/client.key' },
        },
      },
      parameters: { unix_socket_directories: '/tmp' },
      useUnixSocket: true,
      pgpass: join(work, 'pgpass'),
      callbacks: { on_role_change: 'features/record.sh postgres1' },
      createReplicaMethods: ['my_clone'],
      replicaMethods: { my_clone: { command: 'features/record.sh --flag', keep_data: true } },
    };
    ctx = createPgContext(options, {
      runner: new NodeCommandRunner(),
      logger: new MemoryLogger(),
      clock: new ManualClock(),
      workDir: work,
    });
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('a callback gets <action> <role> <scope>', async () => {
    await writeFile(log, '');
    ctx.callbacks.call('on_role_change', 'master');
    await until(async () => (await lines()).length >= 5);
    assert.deepEqual(await lines(), [
      `cwd=${work}`,
      'postgres1',
      'on_role_change',
      'master',
      'batman',
    ]);
  });

  it('a custom bootstrap method gets --scope= --datadir=', async () => {
    await writeFile(log, '');
    await runCustomBootstrap(ctx, 'clone', {
      method: 'clone',
      methods: { clone: { command: 'features/record.sh --walmethod=stream "--dbname=a b"' } },
    });
    assert.deepEqual(await lines(), [
      `cwd=${work}`,
      '--walmethod=stream',
      '--dbname=a b',
      '--scope=batman',
      `--datadir=${options.dataDir}`,
    ]);
  });

  it('post_bootstrap gets the superuser dsn with its ssl settings', async () => {
    await writeFile(log, '');
    await runPostBootstrapScript(ctx, 'features/record.sh -w', ['features/record.sh', '-w']);
    assert.deepEqual(await lines(), [
      `cwd=${work}`,
      '-w',
      'dbname=postgres user=postgres host=/tmp port=5362 sslmode=verify-ca sslrootcert=/c/ca.pem',
    ]);
  });

  it('a replica method gets its keys, then --scope --role --datadir --connstring', async () => {
    await writeFile(log, '');
    const result = await createReplica(ctx, {
      name: 'postgres0',
      connUrl: 'postgres://127.0.0.1:5361/postgres',
    });
    assert.deepEqual(result, { ok: true, method: 'my_clone' });
    assert.deepEqual(await lines(), [
      `cwd=${work}`,
      '--flag',
      '--keep_data=True',
      '--scope=batman',
      '--role=replica',
      `--datadir=${options.dataDir}`,
      '--connstring=dbname=postgres user=replicator host=127.0.0.1 port=5361 sslmode=verify-ca sslcert=/c/client.pem sslkey=/c/client.key',
    ]);
  });

  it('a restore that creates the data directory itself finds none (bootstrap, replica method)', async () => {
    await rm(options.dataDir, { recursive: true, force: true });
    await runCustomBootstrap(ctx, 'restore', {
      method: 'restore',
      methods: { restore: { command: 'features/copytree.sh' } },
    });
    assert.equal(await readFile(join(options.dataDir, 'PG_VERSION'), 'utf8'), 'restored\n');
    // A replica method without keep_data: the old directory goes, and is not made again.
    const replica = createPgContext(
      {
        ...options,
        createReplicaMethods: ['restore'],
        replicaMethods: { restore: { command: 'features/copytree.sh' } },
      },
      {
        runner: new NodeCommandRunner(),
        logger: new MemoryLogger(),
        clock: new ManualClock(),
        workDir: work,
      },
    );
    const result = await createReplica(replica, {
      name: 'postgres0',
      connUrl: 'postgres://127.0.0.1:5361/postgres',
    });
    assert.deepEqual(result, { ok: true, method: 'restore' });
  });
});
