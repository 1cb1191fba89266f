import type { Recorder } from '../history.js';
import type { Topology } from '../types.js';
import { sleep } from './pg.js';

/**
 * Records the holder of the leader key (as the DCS says) whenever it changes, polled every
 * `periodMs`, and the synchronous standbys `/sync` names (which replica a cut-off costs commits).
 * An unreachable DCS is not recorded as "no leader": only an answer is.
 */
export class LeaderWatch {
  private stopping = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly topology: Pick<Topology, 'leader' | 'syncStandbys'>,
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
    let lastSync: string | undefined = undefined;
    while (!this.stopping) {
      try {
        const [member, standbys] = await Promise.all([
          this.topology.leader(),
          this.topology.syncStandbys(),
        ]);
        if (member !== last) {
          this.rec.record({ at: this.rec.now(), kind: 'leader', member });
          last = member;
        }
        const sync = standbys.join(',');
        if (sync !== lastSync) {
          this.rec.record({ at: this.rec.now(), kind: 'sync', standbys: [...standbys] });
          lastSync = sync;
        }
      } catch {
        // etcd unreachable (e.g. quorum lost): no observation
      }
      await sleep(this.periodMs);
    }
  }
}
