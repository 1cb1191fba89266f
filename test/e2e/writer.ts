/**
 * An application writing through HAProxy's read-write port: one row per INSERT, reconnecting after
 * any error, remembering exactly which rows PostgreSQL acknowledged (COMMIT returned) and where.
 */
import type pg from 'pg';
import { superuserClient } from '../support/pg-client.js';

export interface Ack {
  readonly id: number;
  /** The PostgreSQL port that committed the row: which node was the primary. */
  readonly port: number;
  readonly at: number;
}

export function pgClient(port: number): pg.Client {
  return superuserClient(port, { queryTimeoutMs: 5000 });
}

/** One query on a fresh connection: what an application behind a pooler-less proxy sees. */
export async function queryOnce<R extends pg.QueryResultRow>(port: number, text: string) {
  const client = pgClient(port);
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export const ACKED_TABLE_DDL =
  'CREATE TABLE IF NOT EXISTS acked (id int PRIMARY KEY, port int NOT NULL DEFAULT inet_server_port())';

export class Writer {
  readonly acks: Ack[] = [];
  errors = 0;
  private nextId: number;
  private running = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly port: number,
    firstId: number,
  ) {
    this.nextId = firstId;
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** The longest time between two acknowledged writes since `from` (ms). */
  longestGapSince(from: number): number {
    let prev = from;
    let gap = 0;
    for (const a of this.acks.filter((x) => x.at >= from)) {
      gap = Math.max(gap, a.at - prev);
      prev = a.at;
    }
    return Math.max(gap, Date.now() - prev);
  }

  /** A method, not the field: the loop must see stop() called while it awaited. */
  private isRunning(): boolean {
    return this.running;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const client = pgClient(this.port);
      client.on('error', () => undefined);
      try {
        await client.connect();
        while (this.isRunning()) {
          const id = this.nextId++;
          const rows = await client.query<{ port: number }>(
            'INSERT INTO acked (id) VALUES ($1) RETURNING port',
            [id],
          );
          this.acks.push({ id, port: Number(rows.rows[0]?.port), at: Date.now() });
          await new Promise((r) => setTimeout(r, 20));
        }
      } catch {
        this.errors++;
        await new Promise((r) => setTimeout(r, 100));
      } finally {
        await client.end().catch(() => undefined);
      }
    }
  }
}
