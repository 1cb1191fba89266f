/**
 * patronictl end to end against a real etcd: a Patroni-format cluster is written into etcd the
 * way Patroni 3.0.2 lays it out, and the executable's output must equal what the real patronictl
 * 3.0.2 printed for the same keys (test/fixtures/ctl/golden).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEtcd, type EtcdHandle } from '../support/etcd.js';
import { freePort } from '../support/ports.js';
import { makeTempDir, removeTempDir } from '../support/tmpdir.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const FIXTURES = join(ROOT, 'test/fixtures/ctl');
const BUILT = join(ROOT, 'dist/cli/patronictl.js');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The patronictl executable: bin/patronictl when built, else the sources through tsx. */
function command(): string[] {
  if (process.env['CTL_USE_BIN'] === '1' && existsSync(BUILT))
    return [join(ROOT, 'bin/patronictl')];
  return [process.execPath, '--import', 'tsx', join(ROOT, 'src/cli/patronictl.ts')];
}

function patronictl(
  args: readonly string[],
  input = '',
  env: Record<string, string> = {},
): Promise<Run> {
  const [bin = '', ...pre] = command();
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [...pre, ...args], {
      cwd: ROOT,
      env: { ...process.env, TZ: 'UTC', PATRONICTL_CONFIG_FILE: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

function loadScenario(name: string): { scope: string; keys: Record<string, unknown> } {
  return JSON.parse(readFileSync(join(FIXTURES, 'scenarios', `${name}.json`), 'utf8')) as {
    scope: string;
    keys: Record<string, unknown>;
  };
}

function golden(scenario: string, name: string): string {
  return readFileSync(join(FIXTURES, 'golden', scenario, `${name}.out`), 'utf8');
}

describe('patronictl against a real etcd', () => {
  let etcd: EtcdHandle | null = null;
  let dir = '';
  let dcsUrl = '';
  const etcdctl = (...args: string[]): string => {
    const r = spawnSync('/usr/bin/etcdctl', ['--endpoints', etcd?.endpoint ?? '', ...args], {
      env: { ...process.env, ETCDCTL_API: '3' },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`etcdctl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  // The recorded members' REST ports (18008-18010) are ordinary ones that a demo or another
  // test may be listening on; point them at a port nothing listens on, so "no member API
  // answers" holds on a busy machine too. The outputs compared here never show api_url.
  let closedPort = 0;
  const writeScenario = (name: string): string => {
    const s = loadScenario(name);
    for (const [k, v] of Object.entries(s.keys)) {
      const text = typeof v === 'string' ? v : JSON.stringify(v);
      etcdctl(
        'put',
        `/service/${s.scope}/${k}`,
        '--',
        text.replace(/127\.0\.0\.1:180\d\d\/patroni/g, `127.0.0.1:${closedPort}/patroni`),
      );
    }
    return s.scope;
  };

  before(async () => {
    dir = await makeTempDir('ctl-it-');
    closedPort = await freePort();
    etcd = await startEtcd();
    dcsUrl = `etcd3://${etcd.hostPort}`;
    writeScenario('basic');
    writeScenario('extended');
  });
  after(async () => {
    await etcd?.destroy();
    if (dir !== '') await removeTempDir(dir);
  });

  it('list prints the table patronictl 3.0.2 printed for the same keys', async () => {
    const r = await patronictl(['-d', dcsUrl, 'list', 'batman']);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.equal(r.stdout, golden('basic', 'list'));
  });

  it('list -e -f json, topology and history of a paused cluster with a scheduled switchover', async () => {
    const json = await patronictl(['-d', dcsUrl, 'list', 'gotham', '-e', '-f', 'json']);
    assert.equal(json.stdout, golden('extended', 'list-extended-json'));
    const topo = await patronictl(['-d', dcsUrl, 'topology', 'gotham']);
    assert.equal(topo.stdout, golden('extended', 'topology'));
    const history = await patronictl(['-d', dcsUrl, 'history', 'batman', '-f', 'tsv']);
    assert.equal(history.stdout, golden('basic', 'history-tsv'));
  });

  it('reads scope and DCS from a patroni.yml given with -c', async () => {
    const cfg = join(dir, 'patroni.yml');
    writeFileSync(cfg, `scope: gotham\nname: alpha\netcd3:\n  hosts: ${etcd?.hostPort ?? ''}\n`);
    const r = await patronictl(['-c', cfg, 'show-config']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, golden('extended', 'show-config'));
  });

  it('edit-config writes the config key with CAS in 3.0.2 spacing', async () => {
    const r = await patronictl([
      '-d',
      dcsUrl,
      'edit-config',
      'batman',
      '--force',
      '-s',
      'ttl=20',
      '-p',
      'work_mem=8MB',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^-ttl: 30\n\+ttl: 20$/m);
    assert.match(r.stdout, /Configuration changed\n$/);
    const stored = etcdctl('get', '/service/batman/config', '--print-value-only').trim();
    assert.match(stored, /^\{"ttl": 20, "loop_wait": 10, /);
    assert.match(stored, /"work_mem": "8MB"/);
    const again = await patronictl([
      '-d',
      dcsUrl,
      'edit-config',
      'batman',
      '--force',
      '-s',
      'ttl=20',
    ]);
    assert.equal(again.stdout, 'Not changed\n');
  });

  it('switchover falls back to writing the failover key when no member API answers', async () => {
    const r = await patronictl([
      '-d',
      dcsUrl,
      'switchover',
      'batman',
      '--candidate',
      'node2',
      '--force',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Could not switchover using Patroni api, falling back to DCS/);
    assert.equal(
      etcdctl('get', '/service/batman/failover', '--print-value-only').trim(),
      '{"leader":"node1","member":"node2"}',
    );
  });

  it('remove asks three questions, then deletes the cluster', async () => {
    const declined = await patronictl(['-d', dcsUrl, 'remove', 'gotham'], 'gotham\nno\n');
    assert.equal(declined.code, 1);
    assert.match(declined.stderr, /^Error: You did not exactly type "Yes I am aware"\n$/);
    assert.notEqual(etcdctl('get', '--prefix', '/service/gotham/', '--keys-only').trim(), '');
    const r = await patronictl(
      ['-d', dcsUrl, 'remove', 'gotham'],
      'gotham\nYes I am aware\nalpha\n',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(etcdctl('get', '--prefix', '/service/gotham/', '--keys-only').trim(), '');
  });

  it('an unreachable DCS gives one clear error line and exit code 1', async () => {
    const port = await freePort();
    const cfg = join(dir, 'down.yml');
    writeFileSync(cfg, `scope: batman\nretry_timeout: 2\netcd3:\n  host: 127.0.0.1:${port}\n`);
    const r = await patronictl(['-c', cfg, 'list']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^Error: [^\n]+\n$/);
  });

  it('bad invocations: unknown config file, unknown scheme, unknown member', async () => {
    const missing = await patronictl(['-c', join(dir, 'nope.yml'), 'list']);
    assert.equal(missing.code, 1);
    assert.equal(
      missing.stderr,
      `Error: Provided config file ${join(dir, 'nope.yml')} not existing or no read rights. Check the -c/--config-file parameter\n`,
    );
    const scheme = await patronictl(['-d', 'zk2://127.0.0.1', 'list']);
    assert.equal(scheme.stderr, 'Error: Unknown dcs scheme: zk2\n');
    const member = await patronictl(['-d', dcsUrl, 'restart', 'batman', 'node9', '--force']);
    assert.equal(member.code, 1);
    assert.match(member.stderr, /^Error: No any among provided members\n$/);
  });
});
