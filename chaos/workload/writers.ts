import type pg from 'pg';
import type { Recorder } from '../history.js';
import { connectClient, errorText, sleep, type ClientTimeouts } from './pg.js';
import { ROWS_TABLE } from './tables.js';

export interface WritersOptions {
  /** HAProxy's read-write port as a libpq URL. */
  readonly url: string;
  readonly writers: number;
  /** Each writer commits at most one row per period. */
  readonly periodMs: number;
  readonly timeouts: ClientTimeouts;
}

/**
 * Writers that commit numbered rows through HAProxy, each id taken once from a shared counter,
 * and record every acknowledgement and every error. After an error a writer drops its connection
 * and reconnects (HAProxy then routes it to whoever is primary now).
 */
export class Writers {
  private nextId = 1;
  private stopping = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly o: WritersOptions,
    private readonly rec: Recorder,
  ) {}

  start(): void {
    for (let w = 0; w < this.o.writers; w++) this.loops.push(this.run(w));
  }

  /** Stops after each writer's write in flight has an outcome (so every sent id is recorded). */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.loops);
  }

  private async run(writer: number): Promise<void> {
    let client: pg.Client | null = null;
    let tick = performance.now();
    while (!this.stopping) {
      try {
        client ??= await connectClient(this.o.url, this.o.timeouts);
      } catch {
        // Nothing was sent: no id is spent on a failed connect.
        await sleep(50);
        continue;
      }
      const id = this.nextId++;
      try {
        await client.query(`INSERT INTO ${ROWS_TABLE} (id, writer) VALUES ($1, $2)`, [id, writer]);
        this.rec.record({ at: this.rec.now(), kind: 'ack', id, writer });
      } catch (err) {
        this.rec.record({ at: this.rec.now(), kind: 'write-error', id, error: errorText(err) });
        const dead = client;
        client = null;
        await dead.end().catch(() => undefined);
        await sleep(50);
      }
      tick += this.o.periodMs;
      const wait = tick - performance.now();
      if (wait > 0) await sleep(wait);
      else tick = performance.now();
    }
    await client?.end().catch(() => undefined);
  }
}
