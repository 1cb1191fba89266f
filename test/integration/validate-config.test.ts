/**
 * `patroni --validate-config` on every fixture in test/fixtures/configs, through the built
 * `./bin/patroni`, against a real etcd and PostgreSQL 15's binaries. Each fixture's header says
 * the exit code and stderr lines it must produce (see the README there).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runPatroni } from '../support/patroni-cli.js';
import { startEtcd, type EtcdHandle } from '../support/etcd.js';
import { freePort } from '../support/ports.js';
import { makeTempDir, removeTempDir } from '../support/tmpdir.js';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'test/fixtures/configs');
const BIN_DIR = '/usr/lib/postgresql/15/bin';

interface Expectation {
  exit: number;
  lines: string[];
  patterns: RegExp[];
  count: number | null;
  ordered: boolean;
}

function expectations(text: string): Expectation {
  const e: Expectation = { exit: -1, lines: [], patterns: [], count: null, ordered: false };
  for (const line of text.split('\n')) {
    if (line === '# expect-stderr-ordered') e.ordered = true;
    const m = /^# expect-([a-z-]+): (.*)$/.exec(line);
    if (m === null) continue;
    const [, key, value = ''] = m;
    if (key === 'exit') e.exit = Number(value);
    else if (key === 'stderr') e.lines.push(value);
    else if (key === 'stderr-match') e.patterns.push(new RegExp(value));
    else if (key === 'stderr-count') e.count = Number(value);
  }
  return e;
}

describe('patroni --validate-config on the fixtures', () => {
  let etcd: EtcdHandle | null = null;
  let busy: Server | null = null;
  let work = '';
  const values: Record<string, string> = {};

  before(async () => {
    assert.ok(
      existsSync(join(ROOT, 'dist/cli/patroni.js')),
      'build first: npx tsc -p tsconfig.build.json',
    );
    work = await makeTempDir('patroni-ts-validate-');
    etcd = await startEtcd();
    busy = createServer();
    const busyServer = busy;
    await new Promise<void>((ok) => busyServer.listen(0, '127.0.0.1', ok));
    const address = busy.address();
    assert.ok(address !== null && typeof address !== 'string');
    for (const [name, files] of [
      ['PGDATA_15', { PG_VERSION: '15\n' }],
      ['PGDATA_11', { PG_VERSION: '11\n' }],
      ['NOT_PGDATA', { 'some-file': 'x' }],
      ['EMPTY_DIR', {}],
    ] as const) {
      const dir = join(work, name.toLowerCase());
      await mkdir(dir);
      for (const [file, content] of Object.entries(files))
        await writeFile(join(dir, file), content);
      if (name.startsWith('PGDATA')) await mkdir(join(dir, 'pg_wal'));
      values[name] = dir;
    }
    Object.assign(values, {
      ETCD: etcd.hostPort,
      DEAD: String(await freePort()),
      REST_PORT: String(await freePort()),
      PG_PORT: String(await freePort()),
      BUSY_PORT: String(address.port),
      NEW_DIR: join(work, 'new-data-dir'),
      BIN_DIR,
    });
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

  const fill = (text: string): string =>
    text.replace(/@([A-Z_0-9]+)@/g, (m, k: string) => values[k] ?? m);

  it('has at least 20 fixtures, valid and broken', async () => {
    const files = (await readdir(FIXTURES)).filter((f) => f.endsWith('.yml'));
    assert.ok(files.length >= 20, `only ${files.length} fixtures`);
    const texts = await Promise.all(files.map((f) => readFile(join(FIXTURES, f), 'utf8')));
    const exits = texts.map((t) => expectations(t).exit);
    assert.ok(exits.includes(0) && exits.includes(1));
    assert.ok(
      exits.every((x) => x === 0 || x === 1),
      'every fixture states its exit code',
    );
  });

  for (const file of readdirSyncSorted(FIXTURES)) {
    it(file, async () => {
      const text = fill(await readFile(join(FIXTURES, file), 'utf8'));
      const path = join(work, file);
      await writeFile(path, text);
      const expected = expectations(text);
      const result = await runPatroni(['--validate-config', path]);
      const lines = result.stderr.split('\n').filter((l) => l !== '');
      const context = `stderr:\n${result.stderr}`;
      assert.equal(result.code, expected.exit, context);
      for (const line of expected.lines)
        assert.ok(lines.includes(line), `missing "${line}"\n${context}`);
      for (const re of expected.patterns)
        assert.ok(
          lines.some((l) => re.test(l)),
          `no match ${re}\n${context}`,
        );
      if (expected.count !== null) assert.equal(lines.length, expected.count, context);
      if (expected.ordered) {
        const positions = expected.lines.map((l) => lines.indexOf(l));
        assert.deepEqual(
          positions,
          [...positions].sort((a, b) => a - b),
          `order\n${context}`,
        );
      }
      assert.doesNotMatch(result.stderr, /\n\s+at |do-not-print-me/, 'no stack traces, no secrets');
      if (expected.exit === 0) assert.equal(result.stdout, '', 'silent on success without --print');
    });
  }
});

/** Test names must be known when the file loads, before any hook runs. */
function readdirSyncSorted(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yml'))
    .sort();
}
