import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Server } from 'node:net';
import { RestApiServer } from '../../src/api/server.js';
import { FakeApiContext } from '../../src/api/testing/fake-context.js';
import { call } from '../../src/api/testing/http-client.js';
import { primaryView, replicaView } from '../../src/core/health/fixtures.js';
import { spawn, execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderHaproxyConfig } from '../../src/demo/haproxy-config.js';
import { startHaproxy, type HaproxyHandle } from '../support/haproxy.js';
import { freePorts } from '../support/ports.js';
import { freePort } from '../support/ports.js';
import { makeTempDir, removeTempDir } from '../support/tmpdir.js';

interface Node {
  readonly name: string;
  readonly ctx: FakeApiContext;
  readonly api: RestApiServer;
  /** Stands in for PostgreSQL: says its node name to whoever connects. */
  readonly pg: Server;
  readonly pgPort: number;
}

async function startNode(name: string, tls?: { certfile: string; keyfile: string }): Promise<Node> {
  const ctx = new FakeApiContext();
  ctx.nodeView = replicaView({ name });
  const api = new RestApiServer({ options: { listen: '127.0.0.1:0', ...tls }, context: ctx });
  await api.start();
  const pgPort = await freePort();
  const pg = createServer((socket) => {
    socket.end(name);
  });
  await new Promise<void>((resolve) => pg.listen(pgPort, '127.0.0.1', resolve));
  return { name, ctx, api, pg, pgPort };
}

/** Which node HAProxy forwards a new connection on `port` to ('' when it refuses). */
function routedTo(port: number): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const s = connect(port, '127.0.0.1');
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('close', () => {
      resolve(Buffer.concat(chunks).toString());
    });
    s.on('error', () => undefined);
    s.setTimeout(5000, () => s.destroy());
  });
}

async function eventually(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('real HAProxy health checks against the REST API', () => {
  let dir = '';
  let haproxy: HaproxyHandle | null = null;
  const nodes: Node[] = [];

  before(async () => {
    dir = await makeTempDir('patroni-ts-api-haproxy-');
    for (const name of ['node1', 'node2', 'node3']) nodes.push(await startNode(name));
    const first = nodes[0];
    if (first !== undefined) first.ctx.nodeView = primaryView();
    haproxy = await startHaproxy(
      dir,
      nodes.map((n) => ({
        name: n.name,
        host: '127.0.0.1',
        pgPort: n.pgPort,
        restPort: n.api.address().port,
      })),
    );
  });
  after(async () => {
    await haproxy?.stop();
    for (const n of nodes) {
      await n.api.stop();
      await new Promise((r) => n.pg.close(r));
    }
    await removeTempDir(dir);
  });

  async function upServers(): Promise<Map<string, string[]>> {
    const csv = (await call(`http://127.0.0.1:${haproxy?.statsPort ?? 0}/;csv`)).body;
    const up = new Map<string, string[]>();
    for (const line of csv.split('\n')) {
      const [proxy = '', server = '', ...rest] = line.split(',');
      if (!server.startsWith('node')) continue;
      // `status` is column 17 (from 0); the first two columns are destructured above.
      if (rest[15] === 'UP') up.set(proxy, [...(up.get(proxy) ?? []), server]);
    }
    return up;
  }

  it('writes go to the primary only, reads to the replicas', async () => {
    await eventually('HAProxy marks node1 primary, node2/node3 replicas', async () => {
      const up = await upServers();
      return up.get('primary')?.join() === 'node1' && up.get('replicas')?.join() === 'node2,node3';
    });
    assert.equal(await routedTo(haproxy?.readWritePort ?? 0), 'node1');
    const reads = new Set([
      await routedTo(haproxy?.readOnlyPort ?? 0),
      await routedTo(haproxy?.readOnlyPort ?? 0),
    ]);
    assert.ok(
      [...reads].every((r) => r === 'node2' || r === 'node3'),
      [...reads].join(),
    );
  });

  it('after a role change HAProxy follows the new primary', async () => {
    const [n1, n2] = nodes;
    assert.ok(n1 !== undefined && n2 !== undefined);
    n1.ctx.nodeView = replicaView({ name: 'node1' });
    n2.ctx.nodeView = primaryView({ name: 'node2' });
    await eventually('HAProxy moves writes to node2', async () => {
      const up = await upServers();
      return up.get('primary')?.join() === 'node2' && up.get('replicas')?.join() === 'node1,node3';
    });
    assert.equal(await routedTo(haproxy?.readWritePort ?? 0), 'node2');
  });
});

describe('real HAProxy checking the REST API over HTTPS (check-ssl)', () => {
  let dir = '';
  const nodes: Node[] = [];
  let stopHaproxy: (() => Promise<void>) | null = null;
  let readWritePort = 0;

  before(async () => {
    dir = await makeTempDir('patroni-ts-api-haproxy-tls-');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'key.pem',
        '-out',
        'cert.pem',
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
      ],
      { cwd: dir, stdio: 'pipe' },
    );
    const tls = { certfile: join(dir, 'cert.pem'), keyfile: join(dir, 'key.pem') };
    for (const name of ['node1', 'node2']) nodes.push(await startNode(name, tls));
    const first = nodes[0];
    if (first !== undefined) first.ctx.nodeView = primaryView();
    const [rw = 0, ro = 0, stats = 0] = await freePorts(3);
    readWritePort = rw;
    const cfg = join(dir, 'haproxy.cfg');
    await writeFile(
      cfg,
      renderHaproxyConfig({
        bindHost: '127.0.0.1',
        readWritePort: rw,
        readOnlyPort: ro,
        statsPort: stats,
        checkIntervalMs: 300,
        restTls: true,
        backends: nodes.map((n) => ({
          name: n.name,
          host: '127.0.0.1',
          pgPort: n.pgPort,
          restPort: n.api.address().port,
        })),
      }),
    );
    const child = spawn('haproxy', ['-db', '-f', cfg], { stdio: 'ignore' });
    stopHaproxy = async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    };
  });
  after(async () => {
    await stopHaproxy?.();
    for (const n of nodes) {
      await n.api.stop();
      await new Promise((r) => n.pg.close(r));
    }
    await removeTempDir(dir);
  });

  it('writes reach the primary, then follow a role change', async () => {
    await eventually(
      'HAProxy to route writes to node1',
      async () => (await routedTo(readWritePort)) === 'node1',
    );
    const [n1, n2] = nodes;
    assert.ok(n1 !== undefined && n2 !== undefined);
    n1.ctx.nodeView = replicaView({ name: 'node1' });
    n2.ctx.nodeView = primaryView({ name: 'node2' });
    await eventually(
      'HAProxy to route writes to node2',
      async () => (await routedTo(readWritePort)) === 'node2',
    );
  });
});
