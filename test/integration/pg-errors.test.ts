import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isPatroniError } from '../../src/shared/errors.js';
import { freePort } from '../support/ports.js';
import { makeTempDir, removeTempDir } from '../support/tmpdir.js';
import {
  killPostmaster,
  makeBootstrapOptions,
  makePgOptions,
  makeTestPostgresql,
} from '../support/postgres.js';
import type { TestPg } from '../support/postgres.js';

async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) {
    const st = await stat(join(dir, name));
    out[name] = st.isFile() ? await readFile(join(dir, name), 'utf8') : `<dir>`;
  }
  return out;
}

describe('clear errors that leave the data directory as it was', { timeout: 300_000 }, () => {
  let dir: string;
  const nodes: TestPg[] = [];
  let server: Server | null = null;

  before(async () => {
    dir = await makeTempDir('pg-errors-');
  });

  after(async () => {
    server?.close();
    for (const n of nodes) {
      await n.pg.close();
      await killPostmaster(n.options.dataDir);
    }
    await removeTempDir(dir);
  });

  it('a bad bin_dir names the missing program and creates nothing', async () => {
    const n = makeTestPostgresql(
      makePgOptions(dir, await freePort(), { name: 'badbin', binDir: '/nonexistent/bin' }),
    );
    nodes.push(n);
    await assert.rejects(n.pg.bootstrap(makeBootstrapOptions()), (err: unknown) => {
      assert.ok(isPatroniError(err, 'PG_BIN_MISSING'));
      assert.match(err.message, /initdb/);
      assert.match(err.message, /\/nonexistent\/bin/);
      return true;
    });
    await assert.rejects(stat(n.options.dataDir), /ENOENT/);
    const clone = await n.pg.createReplica({
      name: 'x',
      connUrl: 'postgres://127.0.0.1:1/postgres',
    });
    assert.deepEqual(clone, { ok: false });
    assert.ok(
      n.logger.lines.some((l) =>
        /program not found: \/nonexistent\/bin\/pg_basebackup/.test(l.message),
      ),
    );
  });

  it('a non-empty data dir that is not a cluster is refused by bootstrap and start, untouched', async () => {
    const n = makeTestPostgresql(makePgOptions(dir, await freePort(), { name: 'notacluster' }));
    nodes.push(n);
    await mkdir(n.options.dataDir);
    await writeFile(join(n.options.dataDir, 'notes.txt'), 'precious');
    await writeFile(join(n.options.dataDir, 'postgresql.conf'), '# mine\n');
    const before = await snapshot(n.options.dataDir);
    await assert.rejects(n.pg.bootstrap(makeBootstrapOptions()), (err: unknown) => {
      assert.ok(isPatroniError(err, 'PG_DATA_DIR'));
      assert.match(err.message, /not empty/);
      assert.ok(err.message.includes(n.options.dataDir));
      return true;
    });
    await assert.rejects(n.pg.start(), (err: unknown) => {
      assert.ok(isPatroniError(err, 'PG_DATA_DIR'));
      assert.match(err.message, /not a PostgreSQL cluster: PG_VERSION is missing/);
      return true;
    });
    assert.deepEqual(await snapshot(n.options.dataDir), before);
    assert.equal(n.pg.state, 'stopped');
  });

  it('a port already in use gives a clear error before anything is written', async () => {
    const port = await freePort();
    const n = makeTestPostgresql(makePgOptions(dir, port, { name: 'busyport' }));
    nodes.push(n);
    assert.equal(await n.pg.bootstrap(makeBootstrapOptions()), 'running');
    await n.pg.stop({ mode: 'fast' });
    const before = await snapshot(n.options.dataDir);
    server = createServer((s) => s.destroy());
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    await assert.rejects(n.pg.start(), (err: unknown) => {
      assert.ok(isPatroniError(err, 'PG_START_FAILED'));
      assert.match(err.message, new RegExp(`port ${port} .*already in use`));
      return true;
    });
    assert.deepEqual(await snapshot(n.options.dataDir), before);
    assert.equal((await n.pg.observe()).postmasterRunning, false);
    server.close();
    server = null;
  });

  it("a postmaster that dies while starting reports PostgreSQL's own error", async () => {
    const n = nodes[nodes.length - 1]!;
    await n.pg.updateOptions({
      ...n.options,
      parameters: { ...n.options.parameters, shared_buffers: 'lots' },
    });
    await assert.rejects(n.pg.start(), (err: unknown) => {
      assert.ok(isPatroniError(err, 'PG_START_FAILED'));
      assert.match(err.message, /postmaster exited during start: .*shared_buffers/);
      return true;
    });
    assert.equal(n.pg.state, 'start failed');
  });
});
