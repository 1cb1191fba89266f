import type { Recorder } from '../history.js';
import type { Topology } from '../types.js';
import { sleep } from './pg.js';

/**
 * Records the holder of the leader key (as the DCS says) whenever it changes, polled every
 * `periodMs`. An unreachable DCS is not recorded as "no leader": only an answer is.
 */
export class LeaderWatch {
  private stopping = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly topology: Pick<Topology, 'leader'>,
    private readonly rec: Recorder,
    private readonly periodMs = 250,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    let last: string | null | undefined = undefined;
    while (!this.stopping) {
      try {
        const member = await this.topology.leader();
        if (member !== last) {
          this.rec.record({ at: this.rec.now(), kind: 'leader', member });
          last = member;
        }
      } catch {
        // etcd unreachable (e.g. quorum lost): no observation
      }
      await sleep(this.periodMs);
    }
  }
}
