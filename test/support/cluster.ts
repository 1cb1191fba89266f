import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { mkdir, readFile, writeFile, chown } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import type { ConnectionOptions } from 'node:tls';
import { canRead } from '../../src/demo/processes.js';
import { builtEntry } from './built-entry.js';
import { etcdStoreOf } from './etcd-store.js';
import { startEtcd, type EtcdHandle } from './etcd.js';
import { nodeConfigDoc, nodeConfigText } from './node-config.js';
import { postgresOwner } from './os-user.js';
import { superuserClient } from './pg-client.js';
import { freePorts } from './ports.js';
import { killPostmaster, waitFor } from './postgres.js';
import { makeTempDir, removeTempDir } from './tmpdir.js';
import { killOnExit } from './children.js';

/** What bin/patroni runs: the bundle when fresh (the launcher's node flags are not needed here). */
const ENTRY = builtEntry('patroni');
export { SUPERUSER_PASSWORD } from './node-config.js';
/** Debian's Patroni 3.0.2, for mixed clusters (it runs as user postgres). */
export const DEBIAN_PATRONI = '/usr/bin/patroni';

export interface NodeSpec {
  readonly name: string;
  readonly tags?: Readonly<Record<string, unknown>>;
  /**
   * The program that runs this node, given the config path after it; default our daemon.
   * `['/usr/bin/patroni']` runs Debian's Patroni 3.0.2 instead (a mixed cluster).
   */
  readonly command?: readonly string[];
  /** `patroni`: this node runs Debian's Patroni 3.0.2 (the same as `command: [DEBIAN_PATRONI]`). */
  readonly impl?: 'patroni-ts' | 'patroni';
  /** This node's own address (default: the cluster's `host`), e.g. its namespace's. */
  readonly host?: string;
  /**
   * A network namespace (`ip netns add`) the daemon, and so its PostgreSQL, runs in: it is
   * started as `ip netns exec <netns> setpriv ... <command>`, which execs, so the pid is the
   * daemon's own.
   */
  readonly netns?: string;
}

export interface ClusterOptions {
  readonly nodes?: readonly NodeSpec[];
  /**
   * The daemon of every node without a `command` or `impl` of its own, given the config path
   * after it (default our daemon), e.g. `[DEBIAN_PATRONI]` or a checkout's `bin/patroni`.
   */
  readonly command?: readonly string[];
  /** false: only write the configs; the caller starts the daemons (`startAll()`), e.g. to time it. */
  readonly startDaemons?: boolean;
  /** bootstrap.dcs; defaults to the fastest timing Patroni allows (ttl 20, loop_wait 2). */
  readonly dcs?: Readonly<Record<string, unknown>>;
  readonly scope?: string;
  /** Extra top-level keys for every node (e.g. restapi authentication). */
  readonly extra?: Readonly<Record<string, unknown>>;
  /** Merged into every node's `postgresql` section (maps merge, anything else replaces). */
  readonly postgresql?: Readonly<Record<string, unknown>>;
  /** TLS for the tests' own SQL connections (`TestNode.sql`), when pg_hba asks for it. */
  readonly clientTls?: ConnectionOptions;
  /** Extra environment for every daemon (e.g. systemd's NOTIFY_SOCKET). */
  readonly env?: Readonly<Record<string, string>>;
  /** The DCS the cluster runs on; default: a real etcd (v3 API). */
  readonly store?: () => Promise<TestStore>;
  /** Last word on each node's patroni.yml (nested keys that `extra` cannot reach). */
  readonly edit?: (doc: Record<string, unknown>, node: TestNode) => void;
  /**
   * Without `store`: the etcd API the nodes use, `etcd3` (default) or `etcd` (the v2 API; etcd
   * then runs with `--enable-v2`).
   */
  readonly dcsKind?: 'etcd' | 'etcd3';
  /** With `dcsKind: 'etcd'`: false starts etcd without the v2 API (as etcd 3.4 does by default). */
  readonly enableV2?: boolean;
  /** The etcd section's content for etcd at `host:port` (default `{hosts: 'host:port'}`). */
  readonly dcsSection?: (hostPort: string) => Readonly<Record<string, unknown>>;
  /** Extra keys of `bootstrap` (e.g. `users`). */
  readonly bootstrapExtra?: Readonly<Record<string, unknown>>;
  /**
   * The address PostgreSQL, the REST API and the default etcd listen on and advertise (default
   * 127.0.0.1), e.g. a test bridge's, so that programs in network namespaces reach them; pg_hba
   * then admits its /24.
   */
  readonly host?: string;
  /** The directory for the nodes' files (default: a fresh temp dir, removed by `stop()`). */
  readonly dir?: string;
}

/** A DCS server started for one cluster: its patroni.yml section and a raw view of its keys. */
export interface TestStore {
  /** The DCS section(s) of patroni.yml, e.g. `{ zookeeper: { hosts: '127.0.0.1:2181' } }`. */
  readonly section: Readonly<Record<string, unknown>>;
  /** The raw value of an absolute key; null when absent. */
  value(key: string): Promise<string | null>;
  /** The etcd server, when the store is one. */
  readonly etcd?: EtcdHandle;
  destroy(): Promise<void>;
}

/** One patroni-ts daemon with its PostgreSQL, on loopback ports of its own. */
export class TestNode {
  private child: ChildProcess | null = null;
  readonly dir: string;
  readonly dataDir: string;
  readonly configPath: string;
  readonly logPath: string;

  constructor(
    readonly name: string,
    root: string,
    readonly pgPort: number,
    readonly restPort: number,
    private readonly command: readonly string[] = [process.execPath, ENTRY],
    private readonly clientTls?: ConnectionOptions,
    readonly host = '127.0.0.1',
    private readonly netns?: string,
  ) {
    this.dir = join(root, name);
    this.dataDir = join(this.dir, 'data');
    this.configPath = join(this.dir, 'patroni.yml');
    this.logPath = join(this.dir, 'patroni.log');
  }

  /** Which implementation this node runs. */
  get impl(): 'patroni-ts' | 'patroni' {
    return this.command[0] === DEBIAN_PATRONI ? 'patroni' : 'patroni-ts';
  }

  get apiBase(): string {
    return `http://${this.host}:${this.restPort}`;
  }

  /** The daemon's pid while it runs. */
  get pid(): number | null {
    return this.running ? (this.child?.pid ?? null) : null;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(env: Readonly<Record<string, string>> = {}): void {
    const owner = postgresOwner();
    // As root, run the daemon as postgres when it can read the build; else as root (it then
    // drops privileges for PostgreSQL itself).
    const ours = this.command[0] === process.execPath;
    const runAs = owner !== null && (!ours || canRead(ENTRY, owner)) ? owner : null;
    const out = openLog(this.logPath);
    // In a namespace, `ip netns exec` needs root: setpriv switches user after it (both exec).
    const asUser =
      runAs === null
        ? []
        : ['setpriv', `--reuid=${runAs.uid}`, `--regid=${runAs.gid}`, '--clear-groups', '--'];
    const argv =
      this.netns === undefined
        ? [...this.command, this.configPath]
        : ['ip', 'netns', 'exec', this.netns, ...asUser, ...this.command, this.configPath];
    const [program = process.execPath, ...args] = argv;
    this.child = spawn(program, args, {
      stdio: ['ignore', out, out],
      // The node's own directory, not the runner's: Patroni 3.0.2 starts the postmaster from a
      // multiprocessing 'spawn' child that first enters its parent's cwd, and a checkout in a
      // root-only directory (`mktemp -d`) would leave it "starting" with no postmaster.
      cwd: this.dir,
      // Another implementation (Debian's Patroni) gets a HOME it can write to as postgres.
      env: { ...process.env, ...(ours ? {} : { HOME: this.dir }), ...env },
      ...(runAs === null || this.netns !== undefined ? {} : { uid: runAs.uid, gid: runAs.gid }),
    });
    killOnExit(this.child);
  }

  /** Sends a signal to the daemon and waits for it to exit (SIGKILL after timeoutMs). */
  async stopDaemon(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 60_000): Promise<void> {
    const child = this.child;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  /** SIGHUP: the daemon re-reads patroni.yml. */
  reload(): void {
    this.child?.kill('SIGHUP');
  }

  /** Any other signal to the daemon, without waiting (e.g. SIGSTOP/SIGCONT for a hang). */
  signal(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  /** kill -9 of the daemon and of its postmaster: a node dying hard. */
  async kill9(): Promise<void> {
    await this.stopDaemon('SIGKILL');
    const pid = await this.postmasterPid();
    if (pid !== null) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  async postmasterPid(): Promise<number | null> {
    const text = await readFile(join(this.dataDir, 'postmaster.pid'), 'utf8').catch(() => null);
    const pid = Number(text?.split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  }

  async status(): Promise<Record<string, unknown> | null> {
    try {
      const res = await fetch(`${this.apiBase}/patroni`, { signal: AbortSignal.timeout(2000) });
      return (await res.json()) as Record<string, unknown>;
    } catch {
      return null;
    }
  }

  async httpStatus(path: string, init: RequestInit = {}): Promise<number> {
    try {
      const res = await fetch(`${this.apiBase}${path}`, {
        ...init,
        signal: AbortSignal.timeout(5000),
      });
      await res.arrayBuffer();
      return res.status;
    } catch {
      return 0;
    }
  }

  async sql<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string): Promise<R[]> {
    const client = superuserClient(this.pgPort, {
      host: this.host,
      ...(this.clientTls === undefined ? {} : { ssl: this.clientTls }),
    });
    // A server that ends the session (a demotion's fast shutdown: 57P01) also emits 'error' on
    // the client; the query's own rejection reports it, so this must not become uncaught.
    client.on('error', () => undefined);
    await client.connect();
    try {
      return (await client.query<R>(text)).rows;
    } finally {
      await client.end();
    }
  }

  async log(): Promise<string> {
    return readFile(this.logPath, 'utf8').catch(() => '');
  }
}

function openLog(path: string): number {
  // Appending keeps the log of a node across restarts.
  return openSync(path, 'a');
}

/** A real cluster: one etcd and N patroni-ts daemons from empty data directories. */
export class TestCluster {
  private constructor(
    readonly dir: string,
    private readonly etcdHandle: EtcdHandle | null,
    readonly store: TestStore,
    readonly nodes: readonly TestNode[],
    readonly scope: string,
    private readonly ownsDir = true,
  ) {}

  /** The cluster's etcd (when it runs on the default store, or on a store that is an etcd). */
  get etcd(): EtcdHandle {
    const etcd = this.etcdHandle ?? this.store.etcd;
    if (etcd === undefined) throw new Error('this cluster does not run on etcd');
    return etcd;
  }

  static async start(options: ClusterOptions = {}): Promise<TestCluster> {
    const specs = options.nodes ?? [{ name: 'node1' }, { name: 'node2' }, { name: 'node3' }];
    const dir = options.dir ?? (await makeTempDir('patroni-ts-cluster-'));
    const dcsKind = options.dcsKind ?? 'etcd3';
    const etcd =
      options.store === undefined
        ? await startEtcd({
            enableV2: dcsKind === 'etcd' && options.enableV2 !== false,
            ...(options.host === undefined ? {} : { host: options.host }),
          })
        : null;
    const store =
      etcd === null
        ? await (options.store ?? etcdStore)()
        : etcdStoreOf(etcd, dcsKind, options.dcsSection);
    const ports = await freePorts(specs.length * 2);
    const scope = options.scope ?? 'batman';
    const nodes = specs.map(
      (s, i) =>
        new TestNode(
          s.name,
          dir,
          ports[2 * i] ?? 0,
          ports[2 * i + 1] ?? 0,
          s.command ?? (s.impl === 'patroni' ? [DEBIAN_PATRONI] : options.command),
          options.clientTls,
          s.host ?? options.host,
          s.netns,
        ),
    );
    const cluster = new TestCluster(dir, etcd, store, nodes, scope, options.dir === undefined);
    for (const [i, node] of nodes.entries()) {
      await mkdir(node.dir, { recursive: true, mode: 0o700 });
      await writeFile(node.configPath, nodeConfig(cluster, node, specs[i] ?? s0, options), {
        mode: 0o600,
      });
      const owner = postgresOwner();
      if (owner !== null) {
        await chown(node.dir, owner.uid, owner.gid);
        await chown(node.configPath, owner.uid, owner.gid);
      }
    }
    if (options.startDaemons !== false) cluster.startAll(options.env);
    return cluster;
  }

  /** Starts every node's daemon (done by `start()` unless `startDaemons: false`). */
  startAll(env: Readonly<Record<string, string>> = {}): void {
    for (const node of this.nodes) node.start(env);
  }

  node(name: string): TestNode {
    const n = this.nodes.find((x) => x.name === name);
    if (n === undefined) throw new Error(`no node ${name}`);
    return n;
  }

  /** The node whose REST API says it is the primary holding the lock. */
  async leader(): Promise<TestNode | null> {
    // All at once: a stopped node's timeout must not delay the answer (a timed failover).
    const codes = await Promise.all(this.nodes.map((n) => n.httpStatus('/primary')));
    return this.nodes[codes.indexOf(200)] ?? null;
  }

  async waitForLeader(timeoutMs = 120_000, except?: string): Promise<TestNode> {
    return waitFor(
      'a leader',
      async () => {
        const l = await this.leader();
        return l !== null && l.name !== except ? l : undefined;
      },
      timeoutMs,
    );
  }

  /** The leader's walsenders, by application_name, in state streaming. */
  async streamingFrom(leader: TestNode): Promise<string[]> {
    const rows = await leader
      .sql<{ application_name: string }>(
        "SELECT application_name FROM pg_stat_replication WHERE state = 'streaming'",
      )
      .catch(() => []);
    return rows.map((r) => r.application_name).sort();
  }

  /** One leader (other than `except`) and every other running node streaming from it. */
  async waitForHealthy(
    timeoutMs = 180_000,
    except?: string,
    intervalMs?: number,
  ): Promise<TestNode> {
    return waitFor(
      'one leader and all replicas streaming',
      async () => {
        const leader = await this.leader();
        if (leader === null || leader.name === except) return undefined;
        const want = this.nodes
          .filter((n) => n !== leader && n.running)
          .map((n) => n.name)
          .sort();
        const have = await this.streamingFrom(leader);
        return want.every((w) => have.includes(w)) ? leader : undefined;
      },
      timeoutMs,
      intervalMs,
    );
  }

  /** The raw value of a key under the scope, straight from the DCS. */
  async dcsValue(key: string): Promise<string | null> {
    return this.store.value(`/service/${this.scope}/${key}`);
  }

  /** Stops everything; the directory (configs, logs) is kept when `keep` or KEEP_TEST_DIRS. */
  async stop(keep = false): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stopDaemon('SIGTERM', 30_000)));
    await Promise.all(this.nodes.map((n) => killPostmaster(n.dataDir)));
    await this.store.destroy();
    if (!keep && this.ownsDir && process.env['KEEP_TEST_DIRS'] === undefined) {
      await removeTempDir(this.dir);
    }
  }
}

const s0: NodeSpec = { name: 'node' };

async function etcdStore(): Promise<TestStore> {
  return etcdStoreOf(await startEtcd(), 'etcd3');
}

function nodeConfig(c: TestCluster, node: TestNode, spec: NodeSpec, o: ClusterOptions): string {
  const doc = nodeConfigDoc(
    { scope: c.scope, node, dcsSection: c.store.section, tags: spec.tags },
    o,
  );
  o.edit?.(doc, node);
  return nodeConfigText(doc, o);
}
