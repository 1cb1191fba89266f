/**
 * The lease's commit gate on a real PostgreSQL 15 (issue 17): once closed, a commit is not
 * acknowledged (it waits for a standby that never comes) while reads go on; reopened, commits
 * are acknowledged again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { CommitGate } from '../../src/daemon/lease/gate.js';
import { silentLogger } from '../../src/shared/log/logger.js';
import {
  killPostmaster,
  makeBootstrapOptions,
  makePgOptions,
  makeTestPostgresql,
  sql,
  type TestPg,
} from '../support/postgres.js';
import { freePort } from '../support/ports.js';
import { makeTempDir, removeTempDir } from '../support/tmpdir.js';

function client(node: TestPg): pg.Client {
  const s = node.options.authentication.superuser;
  const c = new pg.Client({
    host: '127.0.0.1',
    port: Number(node.options.listen.split(':')[1]),
    user: s.username,
    ...(s.password === undefined ? {} : { password: s.password }),
    database: 'postgres',
  });
  c.on('error', () => undefined);
  return c;
}

/** A commit on a fresh session: true when acknowledged within `ms` (then the socket is dropped,
 * never cancelled: a cancelled wait for a standby is reported as committed). */
async function commits(node: TestPg, ms: number): Promise<boolean> {
  const session = client(node);
  let timer: NodeJS.Timeout | undefined;
  try {
    await session.connect();
    return await Promise.race([
      session.query('INSERT INTO gate_t VALUES (1)').then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => {
          resolve(false);
        }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    session.connection.stream.destroy();
  }
}

describe('the commit gate on a real PostgreSQL', { timeout: 300_000 }, () => {
  let dir: string;
  let node: TestPg;

  before(async () => {
    dir = await makeTempDir('lease-gate-');
    node = makeTestPostgresql(makePgOptions(dir, await freePort()));
    assert.equal(await node.pg.bootstrap(makeBootstrapOptions()), 'running');
    await node.pg.postBootstrap(makeBootstrapOptions());
    await sql(node.options, 'CREATE TABLE gate_t (x int)');
  });
  after(async () => {
    await node.pg.close();
    await killPostmaster(node.options.dataDir);
    await removeTempDir(dir);
  });

  it('holds every commit from the moment close() returns, and lets them through once reopened', async () => {
    assert.equal(await commits(node, 3000), true, 'commits before the gate');
    const gate = new CommitGate(node.pg, silentLogger, () => performance.now());
    const start = performance.now();
    await gate.close();
    const tookMs = performance.now() - start;
    assert.ok(tookMs < 1000, `closing took ${tookMs} ms`);
    assert.equal(await commits(node, 1500), false, 'a commit right after close() waits');
    const rows = await sql<{ n: string }>(node.options, 'SELECT count(*) AS n FROM gate_t');
    assert.ok(Number(rows[0]?.n) >= 1, 'reads still work');
    await gate.reopen();
    let ok = false;
    for (let i = 0; i < 20 && !ok; i++) ok = await commits(node, 500);
    assert.equal(ok, true, 'commits are acknowledged again after reopen');
  });

  it('hides the gate from the HA loop and holds its synchronous_standby_names until reopened', async () => {
    const gate = new CommitGate(node.pg, silentLogger, () => performance.now());
    await node.pg.setSynchronousStandbyNames('n2');
    await gate.close();
    try {
      const seen = await node.pg.observe();
      assert.equal(seen.syncStandbyNames, 'n2', 'the loop sees the names it set, not the gate');
      // An HA cycle that clears the names (asynchronous mode) must not open the gate.
      await node.pg.setSynchronousStandbyNames(null);
      assert.equal((await node.pg.observe()).syncStandbyNames, '');
      assert.equal(await commits(node, 1500), false, 'the gate still holds commits');
    } finally {
      await gate.reopen();
    }
    let held: string | null = null;
    for (let i = 0; i < 50 && held !== ''; i++) {
      held = await node.pg.currentSyncStandbyNames();
      if (held !== '') await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(held, '', 'reopening applied the names set behind the gate');
    assert.equal(await commits(node, 3000), true);
  });

  it('ends the sessions that set synchronous_commit local or off: they commit no more', async () => {
    const sessions = ['local', 'off'].map((level) => ({ level, c: client(node) }));
    for (const { level, c } of sessions) {
      await c.connect();
      await c.query(`SET synchronous_commit = ${level}`);
      await c.query('INSERT INTO gate_t VALUES (2)');
    }
    const gate = new CommitGate(node.pg, silentLogger, () => performance.now());
    await gate.close();
    try {
      for (const { level, c } of sessions) {
        // Without the ending of sessions this commit would be acknowledged at once.
        const outcome = await Promise.race([
          c.query('INSERT INTO gate_t VALUES (3)').then(
            () => 'acknowledged',
            (err: unknown) => `refused: ${(err as Error).message}`,
          ),
          new Promise<string>((resolve) =>
            setTimeout(() => {
              resolve('waiting');
            }, 3000),
          ),
        ]);
        assert.match(outcome, /^refused: /, `synchronous_commit ${level}: ${outcome}`);
      }
      const rows = await sql<{ n: string }>(
        node.options,
        'SELECT count(*) AS n FROM gate_t WHERE x = 3',
      );
      assert.equal(Number(rows[0]?.n), 0, 'no row committed behind the gate');
    } finally {
      for (const { c } of sessions) c.connection.stream.destroy();
      await gate.reopen();
    }
  });
});
