/**
 * postmaster.pid left by a crashed postmaster whose pid now belongs to another long-lived process
 * of the same account (after a pid wrap-around, e.g. another cluster's walsender): that is no
 * running server, and it must not keep PostgreSQL from starting. Patroni 3.0.2 tells them apart
 * by the start time in the file and passes the pid as PG_GRANDPARENT_PID, which PostgreSQL's
 * lock-file check then ignores.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { controlData } from '../../src/postgres/controldata.js';
import { postgresOwner } from '../support/os-user.js';
import { freePort } from '../support/ports.js';
import { makeTempDir, removeTempDir } from '../support/tmpdir.js';
import {
  killPostmaster,
  startTestPrimary,
  sql,
  waitFor,
  type TestPg,
} from '../support/postgres.js';

describe('a postmaster.pid whose pid was reused', { timeout: 180_000 }, () => {
  let dir: string;
  let node: TestPg;
  let impostor: ChildProcess | null = null;

  before(async () => {
    dir = await makeTempDir('pg-stale-pid-');
    node = await startTestPrimary(dir, await freePort());
  });

  after(async () => {
    impostor?.kill('SIGKILL');
    await node.pg.close();
    await killPostmaster(node.options.dataDir);
    await removeTempDir(dir);
  });

  it('is no running PostgreSQL, and PostgreSQL starts over it', async () => {
    const pidFile = join(node.options.dataDir, 'postmaster.pid');
    const lines = (await readFile(pidFile, 'utf8')).split('\n');
    assert.equal(await node.pg.stop({ mode: 'fast' }), true);

    // A process of PostgreSQL's account, named like a backend, started long after the file's time.
    const owner = postgresOwner();
    impostor = spawn('sleep', ['600'], {
      argv0: 'postgres: batman: walsender replicator 10.0.0.2(5432) streaming',
      stdio: 'ignore',
      ...(owner === null ? {} : { uid: owner.uid, gid: owner.gid }),
    });
    const pid = impostor.pid;
    assert.ok(pid !== undefined);
    await waitFor('the impostor to exec', async () =>
      (await readFile(`/proc/${pid}/cmdline`, 'utf8')).startsWith('postgres: batman'),
    );
    // The crashed postmaster's file: its pid is now the impostor's, its start ten minutes back.
    lines[0] = String(pid);
    lines[2] = String(Number(lines[2]) - 600);
    await writeFile(pidFile, lines.join('\n'));

    const seen = await node.pg.observe();
    assert.equal(seen.postmasterRunning, false, 'the impostor was taken for the postmaster');
    assert.equal(await node.pg.start(), 'running');
    const rows = await sql<{ ok: number }>(node.options, 'SELECT 1 AS ok');
    assert.equal(rows[0]?.ok, 1);
    assert.ok(
      node.logger.lines.some(
        (l) =>
          l.message ===
          `Telling pg_ctl that it is safe to ignore postmaster.pid for process ${pid}`,
      ),
    );
    assert.equal(impostor.exitCode, null, 'the impostor lives on');
  });

  it('does not stop single-user crash recovery either', async () => {
    const pid = impostor?.pid;
    assert.ok(pid !== undefined);
    const pidFile = join(node.options.dataDir, 'postmaster.pid');
    const lines = (await readFile(pidFile, 'utf8')).split('\n');
    await sql(node.options, 'CREATE TABLE before_crash AS SELECT 1 AS id');
    // An immediate shutdown is a crash (the control file still says "in production"); the
    // crashed postmaster's file comes back naming the impostor, as after a kill -9 and a reuse.
    await killPostmaster(node.options.dataDir);
    assert.equal((await controlData(node.pg.ctx))['Database cluster state'], 'in production');
    lines[0] = String(pid);
    lines[2] = String(Number(lines[2]) - 600);
    await writeFile(pidFile, lines.join('\n'));

    assert.equal(await node.pg.crashRecovery(), true, 'crash recovery failed on the lock file');
    assert.equal((await controlData(node.pg.ctx))['Database cluster state'], 'shut down');
    assert.equal(impostor?.exitCode, null, 'the impostor lives on');
  });
});
