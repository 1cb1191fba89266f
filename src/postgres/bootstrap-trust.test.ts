import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chown, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PostgresOptions } from '../core/pg/options.js';
import type { CommandRunner, RunResult } from '../process/runner.js';
import { ManualClock } from '../shared/clock.js';
import { MemoryLogger } from '../shared/log/logger.js';
import { runCustomBootstrap } from './bootstrap.js';
import { createPgContext } from './context.js';

const ok: RunResult = {
  exitCode: 0,
  signal: null,
  stdout: '',
  stderr: '',
  timedOut: false,
  aborted: false,
};
const runner: CommandRunner = {
  run: () => Promise.resolve(ok),
  start: () => Promise.reject(new Error('unused')),
};

/** A node restored by a custom bootstrap into `dir/<name>` (or `extra.dataDir`). */
function trustOptions(dir: string, name: string, extra: Partial<PostgresOptions>): PostgresOptions {
  return {
    scope: 'batman',
    name,
    dataDir: join(dir, name),
    binDir: '',
    listen: '127.0.0.1:5361',
    connectAddress: '127.0.0.1:5361',
    authentication: {
      superuser: { username: 'postgres' },
      replication: { username: 'replicator' },
    },
    parameters: { unix_socket_directories: dir },
    pgpass: join(dir, 'pgpass'),
    ...extra,
  };
}

/**
 * Patroni's trust window during a custom bootstrap (`replace_pg_hba`): the socket, plus the
 * TCP address of local replication connections unless `use_unix_socket_repl` moves those to
 * the socket as well.
 */
describe('custom bootstrap trust rules follow use_unix_socket_repl', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bootstrap-trust-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function trustFile(name: string, extra: Partial<PostgresOptions>): Promise<string> {
    const options = trustOptions(dir, name, extra);
    const ctx = createPgContext(options, {
      runner,
      logger: new MemoryLogger(),
      clock: new ManualClock(),
      workDir: dir,
    });
    await mkdir(options.dataDir); // what the restore script would have made
    await runCustomBootstrap(ctx, 'restore', {
      methods: { restore: { command: '/bin/true' } },
    });
    await ctx.files.replaceHba();
    return readFile(ctx.files.trustHbaPath(), 'utf8');
  }

  it('TCP: the socket and the resolved local address (localhost for a loopback listen)', async () => {
    const text = await trustFile('tcp', {});
    assert.match(text, /^local\treplication\treplicator\t\ttrust$/m);
    assert.match(text, /^local\tall\tpostgres\t\ttrust$/m);
    assert.match(text, /^host\treplication\treplicator\t127\.0\.0\.1\/32\ttrust$/m);
    assert.match(text, /^host\tall\tpostgres\t127\.0\.0\.1\/32\ttrust$/m);
  });

  it('use_unix_socket_repl: the socket only', async () => {
    const text = await trustFile('unix', { useUnixSocket: true, useUnixSocketRepl: true });
    assert.match(text, /^local\tall\tpostgres\t\ttrust$/m);
    assert.doesNotMatch(text, /^host/m);
  });
});

/**
 * A daemon run as root keeps the restored pg_hba.conf aside for the trust period: the copy must
 * be PostgreSQL's user's like the rest of the data directory, or a backup run as that user
 * (pgBackRest's post_bootstrap) fails on it, and the file renamed back after the trust period
 * is one PostgreSQL itself cannot read.
 */
describe(
  'the pg_hba.conf kept aside during the trust period',
  {
    skip: process.getuid?.() === 0 ? false : 'needs root (chown)',
  },
  () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'bootstrap-trust-owner-'));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('belongs to the data directory owner, and so does pg_hba.conf once put back', async () => {
      const owner = { uid: 4242, gid: 4343 };
      const options = trustOptions(dir, 'root-daemon', { dataDir: join(dir, 'data'), owner });
      const ctx = createPgContext(options, {
        runner,
        logger: new MemoryLogger(),
        clock: new ManualClock(),
        workDir: dir,
      });
      await mkdir(options.dataDir);
      await runCustomBootstrap(ctx, 'restore', { methods: { restore: { command: '/bin/true' } } });
      // What the restore, run as the owner, would have left.
      const hba = ctx.files.trustHbaPath();
      await writeFile(hba, 'host all all 127.0.0.1/32 md5\n', { mode: 0o600 });
      await chown(hba, owner.uid, owner.gid);
      await ctx.files.replaceHba();
      const kept = await stat(`${hba}.patroni-original`);
      assert.deepEqual([kept.uid, kept.gid], [owner.uid, owner.gid]);
      await ctx.files.leaveBootstrapTrust();
      const back = await stat(hba);
      assert.deepEqual([back.uid, back.gid], [owner.uid, owner.gid]);
      assert.equal(await readFile(hba, 'utf8'), 'host all all 127.0.0.1/32 md5\n');
    });
  },
);
