import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { superuserClient } from '../../test/support/pg-client.js';

/** A client that gives up on a connection or a query after `timeoutMs`. */
function pgClient(port: number, timeoutMs: number): pg.Client {
  return superuserClient(port, { connectTimeoutMs: timeoutMs, queryTimeoutMs: timeoutMs });
}

export interface Commit {
  readonly id: number;
  readonly port: number;
  /** performance.now() when the COMMIT was acknowledged. */
  readonly at: number;
}

/**
 * Commits one row every `periodMs` through a multi-host connection with
 * target_session_attrs=read-write. node-postgres has no multi-host support, so this does what
 * libpq does: try the hosts in order, keep the first whose session is not read-only, and start
 * over from the first host after any error.
 */
export class Writer {
  readonly commits: Commit[] = [];
  private client: pg.Client | null = null;
  private port = 0;
  private nextId = 1;
  private stopping = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly ports: readonly number[],
    private readonly table: string,
    private readonly periodMs = 20,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop;
    await this.drop();
  }

  /** Waits until `count` commits were acknowledged after `since` (performance.now()). */
  async waitCommits(count: number, since: number, timeoutMs: number, notPort = 0): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const n = this.commits.filter((c) => c.at > since && c.port !== notPort).length;
      if (n >= count) return;
      if (performance.now() > deadline) {
        throw new Error(`writer: no ${count} commits within ${timeoutMs} ms`);
      }
      await sleep(20);
    }
  }

  /** The longest time without an acknowledged commit, in seconds, between `from` and the end. */
  longestGap(from: number): number {
    let prev = from;
    let gap = 0;
    for (const c of this.commits) {
      if (c.at < from) {
        prev = c.at;
        continue;
      }
      gap = Math.max(gap, c.at - prev);
      prev = c.at;
    }
    return gap / 1000;
  }

  private async run(): Promise<void> {
    let tick = performance.now();
    while (!this.stopping) {
      await this.once();
      tick += this.periodMs;
      const wait = tick - performance.now();
      if (wait > 0) await sleep(wait);
      else tick = performance.now();
    }
  }

  private async once(): Promise<void> {
    try {
      const client = this.client ?? (await this.connect());
      if (client === null) return;
      const id = this.nextId++;
      await client.query(`INSERT INTO ${this.table} (id) VALUES ($1)`, [id]);
      this.commits.push({ id, port: this.port, at: performance.now() });
    } catch {
      await this.drop();
    }
  }

  private async connect(): Promise<pg.Client | null> {
    for (const port of this.ports) {
      const client = pgClient(port, 2000);
      client.on('error', () => undefined);
      try {
        await client.connect();
        const rows = await client.query<{ ro: string }>(
          "SELECT current_setting('transaction_read_only') AS ro",
        );
        if (rows.rows[0]?.ro === 'off') {
          this.client = client;
          this.port = port;
          return client;
        }
      } catch {
        // next host
      }
      await client.end().catch(() => undefined);
    }
    return null;
  }

  private async drop(): Promise<void> {
    const c = this.client;
    this.client = null;
    if (c !== null) await c.end().catch(() => undefined);
  }
}

/** Acknowledged ids missing from the table on the node at `port`. */
export async function missingRows(
  commits: readonly Commit[],
  port: number,
  table: string,
): Promise<number> {
  const client = pgClient(port, 10_000);
  await client.connect();
  try {
    const res = await client.query<{ id: number }>(`SELECT id FROM ${table}`);
    const present = new Set(res.rows.map((r) => r.id));
    return commits.filter((c) => !present.has(c.id)).length;
  } finally {
    await client.end();
  }
}
