/**
 * Installing like a package: `npm pack` gives a tarball that `npm install -g` turns into
 * `patroni` and `patronictl` on PATH, runnable from any directory (the launchers resolve their
 * own symlink to find the compiled code).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { makeTempDir, removeTempDir } from '../support/tmpdir.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');

describe('npm package', () => {
  let work = '';
  let tarball = '';
  let prefix = '';

  before(async () => {
    work = await makeTempDir('patroni-ts-pack-');
    prefix = join(work, 'prefix');
    await run('npm', ['pack', '--pack-destination', work, '--loglevel=error'], {
      cwd: ROOT,
      timeout: 240_000,
    });
    const packed = (await readdir(work)).filter((f) => f.endsWith('.tgz'));
    assert.equal(packed.length, 1, `one tarball expected, got ${packed.join(', ')}`);
    tarball = join(work, packed[0] ?? '');
    // The dependencies come from npm's cache, filled by the checkout's own `npm ci`.
    await run(
      'npm',
      [
        'install',
        '-g',
        '--prefix',
        prefix,
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        tarball,
      ],
      { cwd: work, timeout: 240_000 },
    );
  });

  after(async () => {
    if (work !== '') await removeTempDir(work);
  });

  it('ships the compiled code and launchers, not the tests', async () => {
    const { stdout } = await run('tar', ['tzf', tarball]);
    const files = stdout.split('\n');
    for (const needed of [
      'package/bin/patroni',
      'package/bin/patronictl',
      'package/dist/cli/patroni.js',
      // The one-file executables the launchers prefer (scripts/bundle.ts, run by prepack).
      'package/dist/bundle/cli/patroni.js',
      'package/dist/bundle/cli/patronictl.js',
      // The dashboard's static files, served from the package as they are.
      'package/web/dashboard/index.html',
      'package/web/dashboard/dashboard.js',
      'package/web/dashboard/dashboard.css',
    ]) {
      assert.ok(files.includes(needed), `${needed} missing from the tarball`);
    }
    assert.deepEqual(
      files.filter(
        (f) => f.includes('.test.') || f.startsWith('package/src/') || f.endsWith('.tsbuildinfo'),
      ),
      [],
    );
  });

  it('puts patroni and patronictl on PATH, runnable from another directory', async () => {
    const env = { ...process.env, PATH: `${join(prefix, 'bin')}:${process.env['PATH'] ?? ''}` };
    const patroni = await run('patroni', ['--version'], { cwd: work, env });
    assert.match(patroni.stdout, /^patroni 3\.0\.2/);
    const ctl = await run('patronictl', ['--help'], { cwd: work, env });
    assert.match(ctl.stdout, /switchover/);
  });

  it('finds the dashboard files from the installed compiled code', async () => {
    const installed = join(prefix, 'lib', 'node_modules', 'patroni-ts');
    const script =
      "const a = await import('./dist/api/dashboard/assets.js');" +
      "const s = new a.AssetStore(); const p = await s.get('index.html');" +
      'process.stdout.write(p.body.slice(0, 15));';
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: installed,
    });
    assert.equal(stdout, '<!doctype html>');
  });
});
