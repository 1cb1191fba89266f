/**
 * A hung PostgreSQL (postmaster and every child stopped: SIGSTOP, or stuck in the kernel) ignores
 * fast and immediate shutdown, and the stop ends with SIGKILL. Each child of a postmaster runs
 * in a session of its own, so killing the postmaster's process group left every child behind,
 * stopped and attached to the shared memory: the next start failed ("pre-existing shared memory
 * block is still in use") for as long as they stayed. Patroni 3.0.2 kills each child too.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { descendantsOf, parentTable, processGone } from '../../src/postgres/process-tree.js';
import { readPostmasterPid } from '../../src/postgres/postmaster-pid.js';
import { freePort } from '../support/ports.js';
import { makeTempDir, removeTempDir } from '../support/tmpdir.js';
import { killPostmaster, startTestPrimary, sql, type TestPg } from '../support/postgres.js';

describe('stopping a hung PostgreSQL', { timeout: 120_000 }, () => {
  let dir: string;
  let node: TestPg;
  let stopped: number[] = [];

  before(async () => {
    dir = await makeTempDir('pg-stop-hung-');
    node = await startTestPrimary(dir, await freePort());
  });

  after(async () => {
    for (const pid of stopped) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    await node.pg.close();
    await killPostmaster(node.options.dataDir);
    await removeTempDir(dir);
  });

  it('kills the postmaster and each of its children, and PostgreSQL starts again', async () => {
    const pm = readPostmasterPid(node.options.dataDir)?.pid;
    assert.ok(pm !== undefined);
    process.kill(pm, 'SIGSTOP');
    const children = descendantsOf(pm, parentTable());
    assert.ok(children.length >= 4, `children of the postmaster: ${children.join(', ')}`);
    for (const c of children) process.kill(c, 'SIGSTOP');
    stopped = [pm, ...children];

    assert.equal(await node.pg.stop({ mode: 'fast', timeoutMs: 1000 }), true);
    assert.deepEqual(
      children.filter((c) => !processGone(c)),
      [],
      'children left behind by the SIGKILL',
    );
    assert.ok(
      node.logger.lines.some((l) => l.message === 'Sending SIGKILL to Postmaster and its children'),
    );
    assert.equal(await node.pg.start(), 'running');
    const rows = await sql<{ ok: number }>(node.options, 'SELECT 1 AS ok');
    assert.equal(rows[0]?.ok, 1);
  });
});
