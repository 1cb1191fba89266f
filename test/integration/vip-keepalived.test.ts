/**
 * Keepalived (Debian's) in front of a patroni-ts cluster, as the guides set it up: two HAProxy
 * nodes, each in a network namespace the test creates, share a VIP by VRRP with unicast peers and
 * the guides' `chk_haproxy` script. Killing HAProxy on the VIP holder moves the VIP to the other
 * node, and a client connecting to the VIP always reaches the current Patroni leader, across a
 * switchover too. PostgreSQL and the daemons run in the root namespace on the test bridge's address.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { SUPERUSER_PASSWORD, TestCluster, type TestNode } from '../support/cluster.js';
import {
  HAPROXY_RW_PORT,
  startKeepalivedNode,
  type KeepalivedNode,
} from '../support/keepalived.js';
import { createNetLab, netnsUnavailable, nsAddresses, type NetLab } from '../support/netns.js';
import { waitFor } from '../support/postgres.js';
import { switchoverOk } from '../e2e/ctl.js';

const skip = (await netnsUnavailable()) ?? false;

/** The PostgreSQL port behind the VIP's read-write listener, or null when nothing answers. */
async function portBehindVip(vip: string): Promise<number | null> {
  const client = new pg.Client({
    host: vip,
    port: HAPROXY_RW_PORT,
    user: 'postgres',
    password: SUPERUSER_PASSWORD,
    database: 'postgres',
    connectionTimeoutMillis: 2000,
    query_timeout: 3000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ port: number; standby: boolean }>(
      'SELECT inet_server_port() AS port, pg_is_in_recovery() AS standby',
    );
    const row = rows[0];
    return row !== undefined && !row.standby ? row.port : null;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('Keepalived VIP over two HAProxy nodes', { skip, timeout: 600_000 }, () => {
  let lab: NetLab | null = null;
  let cluster: TestCluster | null = null;
  let dir = '';
  const nodes: KeepalivedNode[] = [];
  let vip = '';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'patroni-ts-keepalived-'));
    lab = await createNetLab(2);
    vip = `${lab.prefix}.100`;
    cluster = await TestCluster.start({
      nodes: [{ name: 'node1' }, { name: 'node2' }],
      host: lab.hostAddress,
    });
    const backends = cluster.nodes.map((n) => ({
      name: n.name,
      host: n.host,
      pgPort: n.pgPort,
      restPort: n.restPort,
    }));
    const routerId = 1 + Math.floor(Math.random() * 254);
    for (const [i, node] of lab.nodes.entries()) {
      const sub = join(dir, node.ns);
      await mkdir(sub);
      nodes.push(
        await startKeepalivedNode({
          dir: sub,
          self: { node, priority: 150 - i * 50 },
          peers: lab.nodes.filter((p) => p !== node),
          vip,
          routerId,
          backends,
        }),
      );
    }
  });
  after(async () => {
    for (const n of nodes) await n.stop();
    await cluster?.stop();
    await lab?.destroy();
    if (process.env['KEEP_TEST_DIRS'] === undefined)
      await rm(dir, { recursive: true, force: true });
  });

  /** The namespaces holding the VIP, as `ip -br addr` in each shows. */
  async function holders(): Promise<string[]> {
    const out: string[] = [];
    for (const n of lab?.nodes ?? []) if ((await nsAddresses(n.ns)).includes(vip)) out.push(n.ns);
    return out;
  }

  async function waitForSingleHolder(ns: string): Promise<void> {
    await waitFor(
      `the VIP on ${ns} alone`,
      async () => {
        const h = await holders();
        return h.length === 1 && h[0] === ns;
      },
      60_000,
    );
  }

  async function waitForVipReaching(leader: TestNode): Promise<void> {
    await waitFor(
      `a client on the VIP reaching the leader ${leader.name}`,
      async () => (await portBehindVip(vip)) === leader.pgPort,
      60_000,
    );
  }

  it('puts the VIP on the higher-priority node only; a client on it reaches the leader', async () => {
    assert.ok(cluster !== null && lab !== null);
    const leader = await cluster.waitForHealthy();
    const first = lab.nodes[0]?.ns ?? '';
    await waitForSingleHolder(first);
    await waitForVipReaching(leader);
  });

  it('moves the VIP when HAProxy dies on the holder; the client still reaches the leader', async () => {
    assert.ok(cluster !== null && lab !== null);
    const leader = await cluster.waitForLeader();
    await nodes[0]?.killHaproxy();
    await waitForSingleHolder(lab.nodes[1]?.ns ?? '');
    await waitForVipReaching(leader);
  });

  it('follows a switchover: the client on the VIP reaches the new leader', async () => {
    assert.ok(cluster !== null);
    const leader = await cluster.waitForHealthy();
    const candidate = cluster.nodes.find((n) => n !== leader);
    assert.ok(candidate);
    await switchoverOk(
      cluster.node('node1').configPath,
      cluster.scope,
      leader.name,
      candidate.name,
    );
    await waitForVipReaching(candidate);
  });

  it('takes the VIP back to the first node once its HAProxy runs again', async () => {
    assert.ok(cluster !== null && lab !== null);
    await nodes[0]?.startHaproxy();
    await waitForSingleHolder(lab.nodes[0]?.ns ?? '');
    await waitForVipReaching(await cluster.waitForLeader());
  });
});
