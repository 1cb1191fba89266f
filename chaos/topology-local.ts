/**
 * A stand-in topology on loopback, from the test harness (test/support/cluster.ts): three nodes,
 * one etcd, HAProxy. It has no network namespaces, so its network controls refuse; the process
 * nemeses work. It lets the workload, checkers and runner be built and tested before (and
 * without) the namespaced topology of chaos/topology.
 */
import type { ChildProcess } from 'node:child_process';
import { startHaproxy, type HaproxyHandle } from '../test/support/haproxy.js';
import { SUPERUSER_PASSWORD, TestCluster, type TestNode } from '../test/support/cluster.js';
import { syncStandbysOf } from './topology/sync-key.js';
import type { ChaosNode, EtcdMember, Topology, TopologyOptions } from './types.js';

function chaosNode(n: TestNode): ChaosNode {
  // The stand-in reads the harness's private child handle: TestNode has no pid accessor, and this
  // file goes away once the namespaced topology is in.
  const child = (): ChildProcess | null => n['child'];
  return {
    name: n.name,
    ns: '',
    address: n.host,
    pgPort: n.pgPort,
    restPort: n.restPort,
    pgUrl: `postgres://postgres:${SUPERUSER_PASSWORD}@${n.host}:${n.pgPort}/postgres`,
    daemonPid: () => (n.running ? (child()?.pid ?? null) : null),
    postmasterPid: () => n.postmasterPid(),
    startDaemon: () => {
      if (!n.running) n.start();
      return Promise.resolve();
    },
    dataDir: n.dataDir,
  };
}

const notSupported = (): Promise<void> =>
  Promise.reject(new Error('network faults are not supported by the loopback topology'));

export async function startLocalTopology(options: TopologyOptions): Promise<Topology> {
  const impl = options.system;
  const cluster = await TestCluster.start({
    nodes: ['n1', 'n2', 'n3'].map((name) => ({ name, impl })),
    scope: 'chaos',
    dcs: {
      ttl: options.ttl,
      loop_wait: options.loopWait,
      retry_timeout: options.retryTimeout,
      synchronous_mode: options.mode === 'sync',
      ...options.dcsExtra,
    },
  });
  let haproxy: HaproxyHandle;
  try {
    haproxy = await startHaproxy(
      cluster.dir,
      cluster.nodes.map((n) => ({
        name: n.name,
        host: n.host,
        pgPort: n.pgPort,
        restPort: n.restPort,
      })),
    );
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  const nodes = cluster.nodes.map(chaosNode);
  const etcd: EtcdMember = {
    name: 'etcd1',
    clientUrl: cluster.etcd.endpoint,
    pid: () => null,
    kill: () => void cluster.etcd.kill(),
    start: () => cluster.etcd.restart(),
  };
  const leader = async (): Promise<string | null> => {
    const raw = await cluster.dcsValue('leader');
    return raw === null ? null : raw.trim();
  };
  const syncStandbys = async (): Promise<string[]> =>
    syncStandbysOf(await cluster.dcsValue('sync'));
  return {
    options,
    nodes,
    etcd: [etcd],
    primaryUrl: `postgres://postgres:${SUPERUSER_PASSWORD}@127.0.0.1:${haproxy.readWritePort}/postgres`,
    leader,
    syncStandbys,
    status: async () => {
      const out = new Map<string, { role: string; state: string; timeline?: number } | null>();
      for (const n of cluster.nodes) {
        const s = await n.status();
        out.set(
          n.name,
          s === null
            ? null
            : {
                role: String(s['role']),
                state: String(s['state']),
                ...(typeof s['timeline'] === 'number' ? { timeline: s['timeline'] } : {}),
              },
        );
      }
      return out;
    },
    net: {
      isolateFromDcs: notSupported,
      isolate: notSupported,
      dcsLatency: notSupported,
      heal: () => Promise.resolve(),
    },
    healthy: async () => {
      if (!cluster.nodes.every((n) => n.running)) return false;
      const name = await leader().catch(() => null);
      const l = cluster.nodes.find((n) => n.name === name);
      if (l === undefined || (await l.httpStatus('/primary')) !== 200) return false;
      const streaming = await cluster.streamingFrom(l);
      return cluster.nodes.every((n) => n === l || streaming.includes(n.name));
    },
    destroy: async () => {
      await haproxy.stop();
      await cluster.stop();
    },
  };
}
