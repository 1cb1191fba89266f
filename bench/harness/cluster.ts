import { chown, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { EtcdHandle } from '../../test/support/etcd.js';
import { postgresOwner } from '../../test/support/os-user.js';
import { freePorts } from '../../test/support/ports.js';
import { makeTempDir } from '../../test/support/tmpdir.js';
import { startBenchDcs, type BenchDcs, type DcsKind } from './dcs-server.js';
import { BenchNode, SUPERUSER_PASSWORD } from './node.js';
import type { Profile } from './profile.js';
import type { System } from './system.js';
import { pollUntil } from './wait.js';

export const PG_BIN_DIR = process.env['BENCH_PG_BIN'] ?? '/usr/lib/postgresql/15/bin';

/** A DCS + three daemons of one system, written as the same patroni.yml for either system. */
export class BenchCluster {
  private constructor(
    readonly dir: string,
    readonly dcs: BenchDcs,
    readonly nodes: readonly BenchNode[],
  ) {}

  /** The etcd server; the scenarios that read etcd itself run only on an etcd DCS. */
  get etcd(): EtcdHandle {
    if (this.dcs.etcd === null) throw new Error(`this scenario needs etcd, not ${this.dcs.kind}`);
    return this.dcs.etcd;
  }

  /** Writes the configs and starts the DCS; the daemons are started by `startAll()`. */
  static async prepare(
    system: System,
    profile: Profile,
    dcsKind: DcsKind = 'etcd3',
  ): Promise<BenchCluster> {
    const dir = await makeTempDir('patroni-bench-');
    const dcs = await startBenchDcs(dcsKind);
    const ports = await freePorts(6);
    const nodes = [0, 1, 2].map(
      (i) => new BenchNode(system, `node${i + 1}`, dir, ports[2 * i] ?? 0, ports[2 * i + 1] ?? 0),
    );
    const owner = postgresOwner();
    for (const node of nodes) {
      await mkdir(node.dir, { recursive: true, mode: 0o700 });
      await writeFile(node.configPath, nodeConfig(node, dcs, profile), { mode: 0o600 });
      if (owner !== null) {
        await chown(node.dir, owner.uid, owner.gid);
        await chown(node.configPath, owner.uid, owner.gid);
      }
    }
    return new BenchCluster(dir, dcs, nodes);
  }

  startAll(): void {
    for (const n of this.nodes) n.start();
  }

  get pgPorts(): number[] {
    return this.nodes.map((n) => n.pgPort);
  }

  async leader(): Promise<BenchNode | null> {
    const codes = await Promise.all(this.nodes.map((n) => n.httpStatus('/primary')));
    const i = codes.findIndex((c) => c === 200);
    return i < 0 ? null : (this.nodes[i] ?? null);
  }

  async streamingFrom(leader: BenchNode): Promise<string[]> {
    const rows = await leader.sql<{ application_name: string }>(
      "SELECT application_name FROM pg_stat_replication WHERE state = 'streaming'",
    );
    return rows.map((r) => r.application_name);
  }

  /** One leader (other than `notName`) and every other running node streaming from it. */
  async waitHealthy(timeoutMs: number, notName?: string, intervalMs = 100): Promise<BenchNode> {
    return pollUntil(
      'one leader and two streaming replicas',
      async () => {
        const leader = await this.leader();
        if (leader === null || leader.name === notName) return undefined;
        const have = await this.streamingFrom(leader);
        const want = this.nodes.filter((n) => n !== leader && n.running).map((n) => n.name);
        return want.every((w) => have.includes(w)) ? leader : undefined;
      },
      timeoutMs,
      intervalMs,
    );
  }

  /** Stops everything; the directory (configs, logs) is kept when `keep` or KEEP_BENCH_DIRS. */
  async stop(keep = false): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stopDaemon('SIGTERM', 30_000)));
    await Promise.all(this.nodes.map((n) => n.killPostmaster()));
    await this.dcs.destroy();
    if (!keep && process.env['KEEP_BENCH_DIRS'] === undefined) {
      await rm(this.dir, { recursive: true, force: true });
    }
  }
}

function nodeConfig(node: BenchNode, dcs: BenchDcs, p: Profile): string {
  const doc = {
    scope: 'bench',
    name: node.name,
    restapi: {
      listen: `127.0.0.1:${node.restPort}`,
      connect_address: `127.0.0.1:${node.restPort}`,
    },
    [dcs.kind]: dcs.section,
    bootstrap: {
      dcs: {
        ttl: p.ttl,
        loop_wait: p.loopWait,
        retry_timeout: p.retryTimeout,
        maximum_lag_on_failover: 1048576,
        postgresql: {
          use_pg_rewind: true,
          parameters: { wal_log_hints: 'on', max_connections: 30, shared_buffers: '16MB' },
        },
      },
      initdb: [{ encoding: 'UTF8' }],
      pg_hba: ['host replication replicator 127.0.0.1/32 md5', 'host all all 127.0.0.1/32 md5'],
    },
    postgresql: {
      listen: `127.0.0.1:${node.pgPort}`,
      connect_address: `127.0.0.1:${node.pgPort}`,
      data_dir: node.dataDir,
      bin_dir: PG_BIN_DIR,
      pgpass: join(node.dir, 'pgpass'),
      authentication: {
        superuser: { username: 'postgres', password: SUPERUSER_PASSWORD },
        replication: { username: 'replicator', password: 'bench-rep-secret' },
        rewind: { username: 'rewind_user', password: 'bench-rewind-secret' },
      },
      parameters: { unix_socket_directories: node.dir, fsync: 'off' },
    },
  };
  return stringify(doc);
}
