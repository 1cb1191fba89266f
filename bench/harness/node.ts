import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { postgresOwner } from '../../test/support/os-user.js';
import type { System } from './system.js';

export const SUPERUSER_PASSWORD = 'bench-su-secret';

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** One daemon (either system) with its PostgreSQL, as an operator would run it: as postgres. */
export class BenchNode {
  private child: ChildProcess | null = null;
  readonly dir: string;
  readonly dataDir: string;
  readonly configPath: string;
  readonly logPath: string;

  constructor(
    readonly system: System,
    readonly name: string,
    root: string,
    readonly pgPort: number,
    readonly restPort: number,
  ) {
    this.dir = join(root, name);
    this.dataDir = join(this.dir, 'data');
    this.configPath = join(this.dir, 'patroni.yml');
    this.logPath = join(this.dir, 'daemon.log');
  }

  get apiBase(): string {
    return `http://127.0.0.1:${this.restPort}`;
  }

  get pid(): number | null {
    return this.running ? (this.child?.pid ?? null) : null;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    const owner = postgresOwner();
    const [cmd, ...args] = this.system.daemon(this.configPath);
    const out = openSync(this.logPath, 'a');
    this.child = spawn(cmd ?? '', args, {
      stdio: ['ignore', out, out],
      cwd: this.dir,
      env: { ...process.env, HOME: this.dir },
      ...(owner === null ? {} : { uid: owner.uid, gid: owner.gid }),
    });
    closeSync(out);
    const child = this.child;
    live.add(child);
    child.once('exit', () => live.delete(child));
  }

  async stopDaemon(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 60_000): Promise<void> {
    const child = this.child;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  /** kill -9 of the daemon and of its postmaster: a node dying hard. */
  async kill9(): Promise<void> {
    const pm = await this.postmasterPid();
    await this.stopDaemon('SIGKILL');
    if (pm !== null) killQuietly(pm);
  }

  async killPostmaster(): Promise<void> {
    const pm = await this.postmasterPid();
    if (pm !== null) killQuietly(pm);
  }

  async postmasterPid(): Promise<number | null> {
    const text = await readFile(join(this.dataDir, 'postmaster.pid'), 'utf8').catch(() => null);
    const pid = Number(text?.split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  }

  async httpStatus(path: string): Promise<number> {
    try {
      const res = await fetch(`${this.apiBase}${path}`, { signal: AbortSignal.timeout(3000) });
      await res.arrayBuffer();
      return res.status;
    } catch {
      return 0;
    }
  }

  async sql<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string): Promise<R[]> {
    const client = pgClient(this.pgPort);
    await client.connect();
    try {
      return (await client.query<R>(text)).rows;
    } finally {
      await client.end();
    }
  }
}

export function pgClient(port: number, timeoutMs = 3000): pg.Client {
  return new pg.Client({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password: SUPERUSER_PASSWORD,
    database: 'postgres',
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  });
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
