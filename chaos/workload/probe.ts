import type pg from 'pg';
import type { Recorder } from '../history.js';
import { connectClient, sleep, type ClientTimeouts } from './pg.js';
import { PROBE_TABLE } from './tables.js';

export interface ProbeTarget {
  readonly name: string;
  /** Straight to this node's PostgreSQL, bypassing HAProxy. */
  readonly pgUrl: string;
}

/**
 * The split-brain probe: every `periodMs`, a tiny write on every node directly. A primary accepts
 * it; a replica refuses (read-only), a stalled or cut-off node times out; each outcome is recorded.
 * One loop per node, so a hung node never delays the probes of the others; a loop whose attempt is
 * still in flight skips its tick rather than piling attempts up.
 */
export class SplitBrainProbe {
  private stopping = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly nodes: readonly ProbeTarget[],
    private readonly rec: Recorder,
    private readonly periodMs = 100,
    private readonly timeouts: ClientTimeouts = { connectMs: 500, queryMs: 500 },
  ) {}

  start(): void {
    this.loops = this.nodes.map((n) => this.run(n));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.loops);
  }

  private async run(node: ProbeTarget): Promise<void> {
    let client: pg.Client | null = null;
    let tick = performance.now();
    while (!this.stopping) {
      let ok = false;
      try {
        client ??= await connectClient(node.pgUrl, this.timeouts);
        await client.query(`INSERT INTO ${PROBE_TABLE} (node) VALUES ($1)`, [node.name]);
        ok = true;
      } catch {
        const dead = client;
        client = null;
        await dead?.end().catch(() => undefined);
      }
      this.rec.record({ at: this.rec.now(), kind: 'probe-write', node: node.name, ok });
      tick += this.periodMs;
      const wait = tick - performance.now();
      if (wait > 0) await sleep(wait);
      else tick = performance.now();
    }
    await client?.end().catch(() => undefined);
  }
}
