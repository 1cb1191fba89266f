/**
 * The system under test of the fault-injection suite: three etcd members (a real quorum) and
 * three nodes, each node's daemon and PostgreSQL in a network namespace of its own joined to a
 * bridge, HAProxy in front (root namespace) as in the demo. Every node reaches etcd only through
 * its own latency proxy (root namespace, on the bridge), so delay and stalls can be put on one
 * node's DCS traffic; partitions are nft rules inside the node's namespace. Replication between
 * nodes goes straight over the bridge.
 *
 *   root ns:  etcd e1 e2 e3 (clients on <bridge>.1, peers on loopback)
 *             proxy n1 ── proxy n2 ── proxy n3 (on <bridge>.1, one port per etcd member)
 *             HAProxy (127.0.0.1: primary / replicas / stats)
 *   ns n1:    daemon + PostgreSQL on <prefix>.11     (n2: .12, n3: .13)
 */
import { chown, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startHaproxy, type HaproxyHandle } from '../../test/support/haproxy.js';
import { SUPERUSER_PASSWORD, TestCluster, type TestStore } from '../../test/support/cluster.js';
import { createNetLab, type NetLab } from '../../test/support/netns.js';
import { postgresOwner } from '../../test/support/os-user.js';
import { makeTempDir, removeTempDir } from '../../test/support/tmpdir.js';
import type { Topology, TopologyOptions } from '../types.js';
import { startEtcdCluster, type EtcdCluster } from './etcd-cluster.js';
import { clearRules, dropAll, dropPorts } from './firewall.js';
import { etcdValue, isPrimaryRole, nodeView, streamingReplicas, type NodeView } from './health.js';
import { startLatencyProxy, type LatencyProxy } from './latency-proxy.js';
import { mountWalTmpfs, unmountWalTmpfs } from './wal-tmpfs.js';
import { TopologyNode } from './node.js';
import { nsPids } from './processes.js';
import { syncStandbysOf } from './sync-key.js';

export const SCOPE = 'chaos';
const NODE_NAMES = ['n1', 'n2', 'n3'];

/** The topology, with what the nemeses and tests need beyond the shared `Topology` seam. */
export interface ChaosTopology extends Topology {
  readonly nodes: readonly TopologyNode[];
  readonly workDir: string;
  /** HAProxy's read-only port's URL (replicas). */
  readonly replicaUrl: string;
  /** The etcd client addresses (`host:port`), e.g. for a test's own client. */
  readonly etcdHostPorts: readonly string[];
  node(name: string): TopologyNode;
  /** The latency proxy between `node` and etcd (stall/drop beyond `net.dcsLatency`). */
  dcsProxy(node: string): LatencyProxy;
  /** Polls `healthy()` until true; throws with every node's view after `timeoutMs`. */
  waitHealthy(timeoutMs?: number): Promise<void>;
}

interface Parts {
  workDir: string;
  ownsWorkDir: boolean;
  lab?: NetLab;
  etcd?: EtcdCluster;
  proxies: Map<string, LatencyProxy>;
  walDirs: string[];
  cluster?: TestCluster;
  haproxy?: HaproxyHandle;
}

function pgParameters(walTmpfsMb: number | undefined): Record<string, unknown> {
  const base = { max_connections: 60, shared_buffers: '16MB' };
  if (walTmpfsMb === undefined) return base;
  // Keep ordinary WAL well inside the tmpfs, so only the nemesis fills it: what PostgreSQL
  // keeps is about max_wal_size plus the larger of wal_keep_size (Patroni's default is 128MB,
  // a whole small tmpfs) and what slots hold back.
  const quarter = `${Math.max(32, Math.floor(walTmpfsMb / 4))}MB`;
  return {
    ...base,
    max_wal_size: quarter,
    min_wal_size: '32MB',
    wal_keep_size: quarter,
    max_slot_wal_keep_size: quarter,
  };
}

export async function startTopology(options: TopologyOptions): Promise<ChaosTopology> {
  if (options.walTmpfsMb !== undefined && options.walTmpfsMb < 128) {
    throw new Error(
      `walTmpfsMb: ${options.walTmpfsMb} is too small for PostgreSQL's WAL (128 at least)`,
    );
  }
  const parts: Parts = {
    workDir: options.workDir ?? (await makeTempDir('patroni-ts-chaos-')),
    ownsWorkDir: options.workDir === undefined,
    proxies: new Map(),
    walDirs: [],
  };
  try {
    await mkdir(parts.workDir, { recursive: true });
    const owner = postgresOwner();
    if (owner !== null) await chown(parts.workDir, owner.uid, owner.gid);
    return await assemble(options, parts);
  } catch (error) {
    await teardown(parts, options.keep === true);
    throw error;
  }
}

async function assemble(options: TopologyOptions, parts: Parts): Promise<ChaosTopology> {
  const lab = (parts.lab = await createNetLab(NODE_NAMES.length));
  const etcd = (parts.etcd = await startEtcdCluster(lab.hostAddress, parts.workDir));
  const targets = etcd.members.map((m) => ({ host: m.host, port: m.clientPort }));
  for (const name of NODE_NAMES) {
    parts.proxies.set(name, await startLatencyProxy(lab.hostAddress, targets));
  }
  const walDir = (name: string): string | undefined =>
    options.walTmpfsMb === undefined ? undefined : join(parts.workDir, `${name}-wal`);
  for (const name of NODE_NAMES) {
    const dir = walDir(name);
    if (dir === undefined || options.walTmpfsMb === undefined) continue;
    await mountWalTmpfs(dir, options.walTmpfsMb);
    parts.walDirs.push(dir);
  }
  // The daemons run as postgres: every directory above their own must be theirs to enter.
  const nodesDir = join(parts.workDir, 'nodes');
  await mkdir(nodesDir, { recursive: true, mode: 0o700 });
  const owner = postgresOwner();
  if (owner !== null) await chown(nodesDir, owner.uid, owner.gid);
  const store: TestStore = {
    section: { etcd3: { hosts: etcd.hostPorts } },
    value: (key) => etcdValue(etcd.members, key),
    destroy: () => Promise.resolve(),
  };
  const cluster = (parts.cluster = await TestCluster.start({
    dir: nodesDir,
    scope: SCOPE,
    store: () => Promise.resolve(store),
    nodes: NODE_NAMES.map((name, i) => ({
      name,
      impl: options.system,
      host: lab.nodes[i]?.address ?? '',
      netns: lab.nodes[i]?.ns ?? '',
    })),
    dcs: {
      ttl: options.ttl,
      loop_wait: options.loopWait,
      retry_timeout: options.retryTimeout,
      synchronous_mode: options.mode === 'sync',
      postgresql: { use_pg_rewind: true, parameters: pgParameters(options.walTmpfsMb) },
      ...options.dcsExtra,
    },
    edit: (doc, node) => {
      // Each node's etcd traffic goes through its own proxy; use_proxies keeps the daemon
      // from learning the members' real addresses from the member list and going around it.
      const proxy = parts.proxies.get(node.name);
      doc['etcd3'] = {
        hosts: proxy?.ports.map((p) => `${lab.hostAddress}:${p}`) ?? [],
        use_proxies: true,
      };
      const wal = walDir(node.name);
      if (wal !== undefined) {
        const bootstrap = doc['bootstrap'] as Record<string, unknown>;
        bootstrap['initdb'] = [{ encoding: 'UTF8' }, { waldir: wal }];
        (doc['postgresql'] as Record<string, unknown>)['basebackup'] = [{ waldir: wal }];
      }
    },
  }));
  const haproxy = (parts.haproxy = await startHaproxy(
    parts.workDir,
    cluster.nodes.map((n) => ({
      name: n.name,
      host: n.host,
      pgPort: n.pgPort,
      restPort: n.restPort,
    })),
  ));
  const nodes = cluster.nodes.map(
    (n, i) => new TopologyNode(n, lab.nodes[i]?.ns ?? '', walDir(n.name)),
  );
  const topology = makeTopology(options, parts, nodes, etcd, haproxy);
  await topology.waitHealthy(240_000);
  return topology;
}

function url(port: number): string {
  return `postgresql://postgres:${SUPERUSER_PASSWORD}@127.0.0.1:${port}/postgres`;
}

function makeTopology(
  options: TopologyOptions,
  parts: Parts,
  nodes: readonly TopologyNode[],
  etcd: EtcdCluster,
  haproxy: HaproxyHandle,
): ChaosTopology {
  const lab = parts.lab as NetLab;
  const node = (name: string): TopologyNode => {
    const n = nodes.find((x) => x.name === name);
    if (n === undefined) throw new Error(`no node ${name} (have ${NODE_NAMES.join(', ')})`);
    return n;
  };
  const proxy = (name: string): LatencyProxy => {
    const p = parts.proxies.get(name);
    if (p === undefined) throw new Error(`no proxy for ${name}`);
    return p;
  };
  const leader = (): Promise<string | null> => etcdValue(etcd.members, `/service/${SCOPE}/leader`);
  const syncStandbys = async (): Promise<string[]> =>
    syncStandbysOf(await etcdValue(etcd.members, `/service/${SCOPE}/sync`));
  const status = async (): Promise<Map<string, NodeView | null>> => {
    const views = await Promise.all(nodes.map((n) => nodeView(n.restBase)));
    return new Map(nodes.map((n, i) => [n.name, views[i] ?? null]));
  };
  const healthy = async (): Promise<boolean> => {
    if (nodes.some((n) => n.daemonPid() === null)) return false;
    const [views, holder] = await Promise.all([status(), leader()]);
    const running = [...views.entries()].filter(([, v]) => v?.state === 'running');
    if (running.length !== nodes.length) return false;
    const primaries = running.filter(([, v]) => v !== null && isPrimaryRole(v.role));
    const only = primaries[0];
    if (primaries.length !== 1 || only === undefined || only[0] !== holder) return false;
    const streaming = await streamingReplicas(node(only[0]).pgUrl);
    return nodes.every((n) => n.name === only[0] || streaming.includes(n.name));
  };
  const heal = async (name?: string): Promise<void> => {
    for (const n of name === undefined ? nodes : [node(name)]) {
      await clearRules(n.ns);
      proxy(n.name).clear();
    }
  };
  let destroyed: Promise<void> | null = null;
  return {
    options,
    nodes,
    etcd: etcd.members,
    workDir: parts.workDir,
    primaryUrl: url(haproxy.readWritePort),
    replicaUrl: url(haproxy.readOnlyPort),
    etcdHostPorts: etcd.hostPorts,
    node,
    dcsProxy: proxy,
    leader,
    syncStandbys,
    status,
    net: {
      isolateFromDcs: async (name) => {
        // Every proxy's ports, not only its own: a daemon that found another way to etcd
        // would make the partition a lie.
        const proxyPorts = [...parts.proxies.values()].flatMap((p) => p.ports);
        const ports = [...proxyPorts, ...etcd.members.map((m) => m.clientPort)];
        await dropPorts(node(name).ns, lab.hostAddress, ports);
      },
      isolate: (name) => dropAll(node(name).ns),
      dcsLatency: (name, delayMs, jitterMs) => {
        proxy(name).setDelay(delayMs, jitterMs);
        return Promise.resolve();
      },
      heal,
    },
    healthy,
    waitHealthy: async (timeoutMs = 120_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!(await healthy().catch(() => false))) {
        if (Date.now() > deadline) {
          const views = JSON.stringify(Object.fromEntries(await status()));
          throw new Error(
            `topology not healthy within ${timeoutMs} ms: leader key ${await leader()}, ${views}`,
          );
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    },
    destroy: () => (destroyed ??= teardown(parts, options.keep === true)),
  };
}

/** Stops everything `parts` holds, in reverse order of starting, going on past failures. */
async function teardown(parts: Parts, keep: boolean): Promise<void> {
  const errors: unknown[] = [];
  const step = async (f: () => Promise<void>): Promise<void> => {
    try {
      await f();
    } catch (error) {
      errors.push(error);
    }
  };
  // A stopped process handles SIGTERM only once it runs; a partitioned one cannot say goodbye.
  for (const n of parts.lab?.nodes ?? []) {
    await step(() => clearRules(n.ns));
    await step(() => resumeNamespace(n.ns));
  }
  for (const m of parts.etcd?.members ?? []) m.kill('SIGCONT');
  for (const p of parts.proxies.values()) p.clear();
  await step(async () => parts.haproxy?.stop());
  await step(async () => parts.cluster?.stop());
  for (const p of parts.proxies.values()) await step(() => p.close());
  await step(async () => parts.etcd?.destroy());
  await step(async () => parts.lab?.destroy());
  for (const dir of parts.walDirs) await step(() => unmountWalTmpfs(dir));
  if (parts.ownsWorkDir && !keep && process.env['KEEP_TEST_DIRS'] === undefined) {
    await step(() => removeTempDir(parts.workDir));
  }
  if (errors.length > 0) {
    throw new AggregateError(errors, `topology teardown: ${errors.length} step(s) failed`);
  }
}

/** SIGCONT to every process in the namespace (only the topology's own live there). */
async function resumeNamespace(ns: string): Promise<void> {
  for (const pid of await nsPids(ns)) {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // exited meanwhile
    }
  }
}
