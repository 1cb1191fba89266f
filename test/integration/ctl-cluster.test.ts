/**
 * patronictl driving a real three-node patroni-ts cluster (etcd, PostgreSQL 15, our daemons):
 * the commands an operator runs day to day, each checked by what the cluster then does.
 * Needs the build (`make build`): the daemons run from dist/.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { SUPERUSER_PASSWORD, TestCluster, type TestNode } from '../support/cluster.js';
import { waitFor } from '../support/postgres.js';

const ROOT = new URL('../../', import.meta.url).pathname;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function patronictl(config: string, args: readonly string[], input = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, 'bin/patronictl'), ['-c', config, ...args], {
      env: { ...process.env, PGPASSWORD: SUPERUSER_PASSWORD },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

/** Member rows of the pretty table: name -> [host, role, state, tl, lag]. */
function rows(table: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of table.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 7 || cells[1] === 'Member' || cells[1] === undefined) continue;
    out.set(cells[1], cells.slice(2, 7));
  }
  return out;
}

describe('patronictl against a running three-node cluster', { timeout: 900_000 }, () => {
  let cluster: TestCluster;
  let leader: TestNode;
  let cfg = '';

  before(async () => {
    cluster = await TestCluster.start();
    leader = await cluster.waitForHealthy();
    cfg = cluster.node('node1').configPath;
  });
  after(async () => {
    await cluster.stop();
  });

  it('list shows the leader and two running replicas with their hosts and timeline', async () => {
    const r = await patronictl(cfg, ['list']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\+ Cluster: batman -/);
    const table = rows(r.stdout);
    assert.deepEqual([...table.keys()].sort(), ['node1', 'node2', 'node3']);
    for (const n of cluster.nodes) {
      const row = table.get(n.name) ?? [];
      assert.equal(row[0], `127.0.0.1:${n.pgPort}`);
      assert.equal(row[1], n === leader ? 'Leader' : 'Replica');
      assert.equal(row[3], '1');
    }
    const dsn = await patronictl(cfg, ['dsn']);
    assert.equal(dsn.stdout, `host=127.0.0.1 port=${leader.pgPort}\n`);
  });

  it('query runs SQL on the leader', async () => {
    const r = await patronictl(cfg, [
      'query',
      '-U',
      'postgres',
      '-d',
      'postgres',
      '-c',
      'SELECT pg_is_in_recovery() AS r',
    ]);
    assert.equal(r.code, 0, r.stderr);
    // Python's str(False), as patronictl prints a boolean column.
    assert.equal(r.stdout, 'r\nFalse\n');
  });

  it('switchover moves the leader to the candidate and history records it', async () => {
    const candidate = cluster.nodes.find((n) => n !== leader);
    assert.ok(candidate);
    const r = await patronictl(cfg, ['switchover', '--candidate', candidate.name, '--force']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`Successfully switched over to "${candidate.name}"`));
    leader = await cluster.waitForLeader(120_000, leader.name);
    assert.equal(leader.name, candidate.name);
    const history = await waitFor('a history line', async () => {
      const h = await patronictl(cfg, ['history', '-f', 'json']);
      const lines = JSON.parse(h.stdout || '[]') as { TL: number; 'New Leader': string }[];
      return lines.length > 0 ? lines : undefined;
    });
    const first = history[0];
    assert.ok(first);
    assert.equal(first.TL, 1);
    assert.equal(first['New Leader'], candidate.name);
    await cluster.waitForHealthy();
  });

  it('pause --wait puts the cluster in maintenance mode; resume ends it', async () => {
    const p = await patronictl(cfg, ['pause', '--wait']);
    assert.equal(p.code, 0, p.stderr);
    assert.match(p.stdout, /Success: cluster management is paused\n$/);
    assert.match((await patronictl(cfg, ['list'])).stdout, /\n Maintenance mode: on\n$/);
    const again = await patronictl(cfg, ['pause']);
    assert.equal(again.code, 1);
    assert.equal(again.stderr, 'Error: Cluster is already paused\n');
    const r = await patronictl(cfg, ['resume', '--wait']);
    assert.match(r.stdout, /Success: cluster management is resumed\n$/);
    assert.doesNotMatch((await patronictl(cfg, ['list'])).stdout, /Maintenance mode/);
  });

  it('edit-config changes the dynamic configuration in the DCS', async () => {
    const r = await patronictl(cfg, ['edit-config', '--force', '-p', 'work_mem=8MB']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\+ {4}work_mem: 8MB$/m);
    const stored = JSON.parse((await cluster.dcsValue('config')) ?? '{}') as {
      postgresql?: { parameters?: Record<string, unknown> };
    };
    assert.equal(stored.postgresql?.parameters?.['work_mem'], '8MB');
    const show = await patronictl(cfg, ['show-config']);
    assert.match(show.stdout, /^ {4}work_mem: 8MB$/m);
  });

  it('reload and restart reach the members through their REST APIs', async () => {
    const replica = cluster.nodes.find((n) => n !== leader);
    assert.ok(replica);
    const reload = await patronictl(cfg, ['reload', 'batman', replica.name, '--force']);
    assert.equal(reload.code, 0, reload.stderr);
    assert.match(
      reload.stdout,
      new RegExp(
        `(No changes to apply on member|Reload request received for member) ${replica.name}`,
      ),
    );
    const restart = await patronictl(cfg, ['restart', 'batman', replica.name, '--force']);
    assert.equal(restart.code, 0, restart.stderr);
    assert.match(restart.stdout, new RegExp(`Success: restart on member ${replica.name}\n$`));
    await cluster.waitForHealthy();
  });

  it('reinit --wait rebuilds a replica; the leader cannot be reinitialized', async () => {
    const refused = await patronictl(cfg, ['reinit', 'batman', leader.name, '--force']);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, 'Error: No replica among provided members\n');
    const replica = cluster.nodes.find((n) => n !== leader);
    assert.ok(replica);
    const r = await patronictl(cfg, ['reinit', 'batman', replica.name, '--force', '--wait']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`Success: reinitialize for member ${replica.name}`));
    assert.match(r.stdout, new RegExp(`Reinitialize is completed on: ${replica.name}\n$`));
    await cluster.waitForHealthy();
  });
});
