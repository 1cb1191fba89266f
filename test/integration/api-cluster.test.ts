/**
 * The REST API of real daemons: etcd, three patroni-ts nodes with PostgreSQL 15 and HAProxy with
 * the guide's health checks, all on free loopback ports. Proves the health codes on live nodes,
 * the read endpoints, an authenticated config change and a switchover through REST, with HAProxy
 * moving writes to the new primary.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chown, mkdir, writeFile } from 'node:fs/promises';
import { openSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { stringify } from 'yaml';
import { call, rawExchange } from '../../src/api/testing/http-client.js';
import { startEtcd, type EtcdHandle } from '../support/etcd.js';
import { startHaproxy, type HaproxyHandle } from '../support/haproxy.js';
import { postgresOwner } from '../support/os-user.js';
import { freePorts } from '../support/ports.js';
import { makeTempDir, removeTempDir } from '../support/tmpdir.js';

const SUPERUSER = { username: 'postgres', password: 'api-test-su' };
const AUTH = { username: 'patroni', password: 'api-test-rest' };
const AUTH_HEADER = `Basic ${Buffer.from(`${AUTH.username}:${AUTH.password}`).toString('base64')}`;

interface Node {
  readonly name: string;
  readonly dir: string;
  readonly pgPort: number;
  readonly restPort: number;
  readonly base: string;
  child: ChildProcess | null;
}

function config(node: Node, etcd: EtcdHandle): string {
  return stringify({
    scope: 'apitest',
    namespace: '/service/',
    name: node.name,
    restapi: {
      listen: `127.0.0.1:${node.restPort}`,
      connect_address: `127.0.0.1:${node.restPort}`,
      authentication: AUTH,
    },
    etcd3: { hosts: etcd.hostPort },
    bootstrap: {
      dcs: {
        ttl: 20,
        loop_wait: 2,
        retry_timeout: 5,
        maximum_lag_on_failover: 1048576,
        postgresql: {
          use_pg_rewind: true,
          use_slots: true,
          parameters: { wal_level: 'replica' },
        },
      },
      initdb: [{ encoding: 'UTF8' }],
      pg_hba: [
        'host replication replicator 127.0.0.1/32 scram-sha-256',
        'host all all 127.0.0.1/32 scram-sha-256',
      ],
    },
    postgresql: {
      listen: `127.0.0.1:${node.pgPort}`,
      connect_address: `127.0.0.1:${node.pgPort}`,
      data_dir: join(node.dir, 'data'),
      bin_dir: '/usr/lib/postgresql/15/bin',
      pgpass: join(node.dir, 'pgpass'),
      authentication: {
        superuser: SUPERUSER,
        replication: { username: 'replicator', password: 'api-test-rep' },
        rewind: { username: 'rewind_user', password: 'api-test-rw' },
      },
      parameters: {
        unix_socket_directories: node.dir,
        shared_buffers: '16MB',
        max_connections: 30,
      },
    },
    tags: { dc: 'east' },
  });
}

async function status(node: Node, path: string): Promise<number> {
  try {
    return (await call(`${node.base}${path}`, { timeoutMs: 5000 })).status;
  } catch {
    return 0;
  }
}

async function until(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function startTime(node: Node): Promise<unknown> {
  const doc = JSON.parse((await call(`${node.base}/patroni`)).body) as Record<string, unknown>;
  return doc['postmaster_start_time'];
}

/** Which node's PostgreSQL answers on `port`, and whether it is a replica. */
async function whoAnswers(port: number): Promise<{ port: number; inRecovery: boolean } | null> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: SUPERUSER.username,
    password: SUPERUSER.password,
    database: 'postgres',
    connectionTimeoutMillis: 5000,
  });
  // HAProxy shuts sessions to a server it marks down; pg then emits 'error', which unheard would
  // be an uncaught exception. The query's own rejection is handled below.
  client.on('error', () => undefined);
  try {
    await client.connect();
    const r = await client.query<{ port: number; rec: boolean }>(
      "SELECT current_setting('port')::int AS port, pg_is_in_recovery() AS rec",
    );
    const row = r.rows[0];
    return row === undefined ? null : { port: row.port, inRecovery: row.rec };
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('REST API on a real three-node cluster behind HAProxy', { timeout: 600_000 }, () => {
  let root = '';
  let etcd: EtcdHandle | null = null;
  let haproxy: HaproxyHandle | null = null;
  const nodes: Node[] = [];
  let leader: Node | null = null;

  const leaderNode = (): Node => {
    if (leader === null) throw new Error('no leader yet');
    return leader;
  };
  const replicas = (): Node[] => nodes.filter((n) => n !== leader);

  before(async () => {
    root = await makeTempDir('patroni-ts-api-cluster-');
    etcd = await startEtcd();
    const ports = await freePorts(6);
    const owner = postgresOwner();
    for (let i = 0; i < 3; i++) {
      const name = `node${i + 1}`;
      const dir = join(root, name);
      await mkdir(dir, { recursive: true });
      if (owner !== null) await chown(dir, owner.uid, owner.gid);
      const restPort = ports[2 * i] ?? 0;
      nodes.push({
        name,
        dir,
        pgPort: ports[2 * i + 1] ?? 0,
        restPort,
        base: `http://127.0.0.1:${restPort}`,
        child: null,
      });
    }
    for (const node of nodes) {
      const cfg = join(node.dir, 'patroni.yml');
      await writeFile(cfg, config(node, etcd), { mode: 0o600 });
      const log = openSync(join(node.dir, 'patroni.log'), 'a');
      node.child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/patroni.ts', cfg], {
        cwd: process.cwd(),
        stdio: ['ignore', log, log],
      });
    }
    await until(
      'one primary and two streaming replicas',
      async () => {
        const primaries = [];
        let replicaCount = 0;
        for (const n of nodes) {
          if ((await status(n, '/primary')) === 200) primaries.push(n);
          else if ((await status(n, '/replica')) === 200) replicaCount++;
        }
        leader = primaries.length === 1 ? (primaries[0] ?? null) : null;
        return leader !== null && replicaCount === 2;
      },
      300_000,
    );
    haproxy = await startHaproxy(
      root,
      nodes.map((n) => ({
        name: n.name,
        host: '127.0.0.1',
        pgPort: n.pgPort,
        restPort: n.restPort,
      })),
    );
  });

  after(async () => {
    await haproxy?.stop();
    await Promise.all(
      nodes.map(async (n) => {
        const child = n.child;
        if (child === null || child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(timer);
      }),
    );
    await etcd?.destroy();
    // Set to keep the nodes' patroni.log files for a post-mortem.
    if (process.env['PATRONI_TS_KEEP_TEST_DIR'] === undefined) await removeTempDir(root);
    else process.stderr.write(`kept ${root}\n`);
  });

  it('health endpoints answer by role on live nodes', async () => {
    const l = leaderNode();
    for (const [path, code] of [
      ['/', 200],
      ['/primary', 200],
      ['/master', 200],
      ['/leader', 200],
      ['/replica', 503],
      ['/read-only', 200],
      ['/health', 200],
      ['/async', 503],
      ['/standby-leader', 503],
    ] as const) {
      assert.equal(await status(l, path), code, `leader ${path}`);
    }
    for (const r of replicas()) {
      for (const [path, code] of [
        ['/primary', 503],
        ['/replica', 200],
        ['/replica?lag=16MB', 200],
        ['/replica?tag_dc=east', 200],
        ['/replica?tag_dc=west', 503],
        ['/read-only', 200],
        ['/async', 200],
        ['/sync', 503],
        ['/health', 200],
        ['/liveness', 200],
        ['/readiness', 200],
      ] as const) {
        assert.equal(await status(r, path), code, `${r.name} ${path}`);
      }
    }
    assert.equal(
      await rawExchange(l.restPort, 'OPTIONS / HTTP/1.0\r\n\r\n'),
      'HTTP/1.0 200 OK\r\n\r\n',
    );
  });

  it('GET /patroni, /cluster, /history, /config, /metrics describe the same cluster', async () => {
    const docs = await Promise.all(
      nodes.map(
        async (n) => JSON.parse((await call(`${n.base}/patroni`)).body) as Record<string, unknown>,
      ),
    );
    const sysids = new Set(docs.map((d) => d['database_system_identifier']));
    assert.equal(sysids.size, 1);
    assert.deepEqual(docs.map((d) => d['role']).sort(), ['master', 'replica', 'replica']);
    for (const d of docs) {
      assert.equal(d['state'], 'running');
      assert.deepEqual(d['patroni'], { version: '3.0.2', scope: 'apitest' });
      assert.deepEqual(d['tags'], { dc: 'east' });
    }
    const cluster = JSON.parse((await call(`${replicas()[0]?.base ?? ''}/cluster`)).body) as {
      members: Record<string, unknown>[];
    };
    assert.deepEqual(
      cluster.members.map((m) => m['name']),
      ['node1', 'node2', 'node3'],
    );
    assert.deepEqual(
      cluster.members.filter((m) => m['role'] === 'leader').map((m) => m['name']),
      [leaderNode().name],
    );
    for (const m of cluster.members.filter((x) => x['role'] !== 'leader'))
      assert.equal(typeof m['lag'], 'number');
    assert.equal((await call(`${leaderNode().base}/history`)).body, '[]');
    const cfg = JSON.parse((await call(`${leaderNode().base}/config`)).body) as Record<
      string,
      unknown
    >;
    assert.equal(cfg['loop_wait'], 2);
    const metrics = (await call(`${leaderNode().base}/metrics`)).body;
    assert.match(metrics, /^patroni_primary\{scope="apitest"\} 1$/m);
    assert.match(metrics, /^patroni_postgres_running\{scope="apitest"\} 1$/m);
  });

  it('HAProxy sends writes to the primary and reads to a replica', async () => {
    // HAProxy counts every server as up until its first health check has run, so the routing
    // is asserted once the checks have had their say: six reads in a row (two round-robin turns
    // over three servers) must all land on replicas.
    const readsOnReplicas = async (): Promise<boolean> => {
      for (let i = 0; i < 6; i++) {
        if ((await whoAnswers(haproxy?.readOnlyPort ?? 0))?.inRecovery !== true) return false;
      }
      return true;
    };
    await until('HAProxy to send reads only to replicas', readsOnReplicas, 30_000);
    const rw = await whoAnswers(haproxy?.readWritePort ?? 0);
    assert.deepEqual(rw, { port: leaderNode().pgPort, inRecovery: false });
    assert.equal(await readsOnReplicas(), true);
  });

  it('PATCH /config needs the REST credentials and lands in every node view', async () => {
    const body = JSON.stringify({ postgresql: { parameters: { work_mem: '8MB' } } });
    const denied = await call(`${leaderNode().base}/config`, { method: 'PATCH', body });
    assert.equal(denied.status, 401);
    const res = await call(`${replicas()[0]?.base ?? ''}/config`, {
      method: 'PATCH',
      body,
      headers: { authorization: AUTH_HEADER },
    });
    assert.equal(res.status, 200);
    await until(
      'every node to see the new config',
      async () => {
        const all = await Promise.all(
          nodes.map(async (n) => (await call(`${n.base}/config`)).body),
        );
        return all.every((b) => b.includes('"work_mem": "8MB"'));
      },
      30_000,
    );
  });

  it('POST /switchover moves the lock, the health codes and HAProxy to the candidate', async () => {
    const old = leaderNode();
    const candidate = replicas()[0];
    assert.ok(candidate !== undefined);
    const res = await call(`${old.base}/switchover`, {
      method: 'POST',
      body: JSON.stringify({ leader: old.name, candidate: candidate.name }),
      headers: { authorization: AUTH_HEADER },
      timeoutMs: 120_000,
    });
    assert.deepEqual(
      [res.status, res.body],
      [200, `Successfully switched over to "${candidate.name}"`],
    );
    leader = candidate;
    await until(
      'the new primary to report 200 on /primary',
      async () => (await status(candidate, '/primary')) === 200,
      60_000,
    );
    await until(
      'the old primary to come back as a replica',
      async () => (await status(old, '/replica')) === 200,
      180_000,
    );
    await until(
      'HAProxy to route writes to the new primary',
      async () => (await whoAnswers(haproxy?.readWritePort ?? 0))?.port === candidate.pgPort,
      60_000,
    );
    // The new leader records the timeline switch in /history on one of its next cycles.
    let history: unknown[][] = [];
    await until(
      'the switch in /history',
      async () => {
        history = JSON.parse((await call(`${candidate.base}/history`)).body) as unknown[][];
        return history.length > 0;
      },
      30_000,
    );
    assert.equal(history.length, 1);
    assert.equal(history[0]?.[0], 1);
  });
  it('POST /restart refuses when its conditions do not match', async () => {
    const replica = replicas()[0];
    assert.ok(replica !== undefined);
    const auth = { authorization: AUTH_HEADER };
    const wrongRole = await call(`${replica.base}/restart`, {
      method: 'POST',
      body: '{"role": "master"}',
      headers: auth,
    });
    assert.deepEqual(
      [wrongRole.status, wrongRole.body],
      [503, 'restart conditions are not satisfied'],
    );
    const notPending = await call(`${replica.base}/restart`, {
      method: 'POST',
      body: '{"restart_pending": true}',
      headers: auth,
    });
    assert.deepEqual(
      [notPending.status, notPending.body],
      [503, 'restart conditions are not satisfied'],
    );
  });

  it('POST /restart restarts a replica and answers when it is back', async () => {
    const replica = replicas()[0];
    assert.ok(replica !== undefined);
    const before = await startTime(replica);
    const res = await call(`${replica.base}/restart`, {
      method: 'POST',
      body: '{}',
      headers: { authorization: AUTH_HEADER },
      timeoutMs: 120_000,
    });
    await until(
      'a new postmaster on a streaming replica',
      async () =>
        (await startTime(replica)) !== before && (await status(replica, '/replica')) === 200,
      60_000,
    );
    assert.deepEqual([res.status, res.body], [200, 'restarted successfully']);
  });

  it('a scheduled restart shows in /patroni until DELETE /restart removes it', async () => {
    const replica = replicas()[0];
    assert.ok(replica !== undefined);
    const auth = { authorization: AUTH_HEADER };
    const body = '{"schedule": "2099-01-01T00:00:00+00:00", "restart_pending": true}';
    const res = await call(`${replica.base}/restart`, { method: 'POST', body, headers: auth });
    assert.deepEqual([res.status, res.body], [202, 'Restart scheduled']);
    const again = await call(`${replica.base}/restart`, { method: 'POST', body, headers: auth });
    assert.deepEqual([again.status, again.body], [409, 'Another restart is already scheduled']);
    const doc = JSON.parse((await call(`${replica.base}/patroni`)).body) as Record<string, unknown>;
    assert.deepEqual(doc['scheduled_restart'], {
      schedule: '2099-01-01T00:00:00+00:00',
      restart_pending: true,
    });
    const del = await call(`${replica.base}/restart`, { method: 'DELETE', headers: auth });
    assert.deepEqual([del.status, del.body], [200, 'scheduled restart deleted']);
    const none = await call(`${replica.base}/restart`, { method: 'DELETE', headers: auth });
    assert.deepEqual([none.status, none.body], [404, 'no restarts are scheduled']);
  });

  it('POST /reinitialize is refused on the leader and rebuilds a replica', async () => {
    const auth = { authorization: AUTH_HEADER };
    const refused = await call(`${leaderNode().base}/reinitialize`, {
      method: 'POST',
      headers: auth,
    });
    assert.deepEqual(
      [refused.status, refused.body],
      [503, 'I am the leader, can not reinitialize'],
    );
    const replica = replicas()[1];
    assert.ok(replica !== undefined);
    const before = await startTime(replica);
    const res = await call(`${replica.base}/reinitialize`, {
      method: 'POST',
      body: '{"force": true}',
      headers: auth,
    });
    assert.deepEqual([res.status, res.body], [200, 'reinitialize started']);
    await until(
      'the rebuilt replica (a new postmaster) to stream again',
      async () =>
        (await startTime(replica)) !== before && (await status(replica, '/replica')) === 200,
      180_000,
    );
  });

  it('POST /failover to a named replica promotes it', async () => {
    const target = replicas()[1];
    assert.ok(target !== undefined);
    const res = await call(`${leaderNode().base}/failover`, {
      method: 'POST',
      body: JSON.stringify({ candidate: target.name }),
      headers: { authorization: AUTH_HEADER },
      timeoutMs: 120_000,
    });
    assert.deepEqual([res.status, res.body], [200, `Successfully failed over to "${target.name}"`]);
    leader = target;
    await until(
      'the new primary to report 200 on /primary',
      async () => (await status(target, '/primary')) === 200,
      60_000,
    );
    assert.equal((await call(`${target.base}/failsafe`)).status, 502, 'failsafe mode is off');
  });
});
