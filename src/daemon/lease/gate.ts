import type { Logger } from '../../shared/log/logger.js';

/**
 * A standby name no member can have (member names become application_name, and this one is
 * reserved here): with it as `synchronous_standby_names`, every commit waits for a standby that
 * never comes, so none is acknowledged, and the wait begins as soon as PostgreSQL has read the
 * file after the SIGHUP (milliseconds; the checkpointer flips the shared "sync standbys defined"
 * flag, which every committing backend reads).
 */
export const FENCE_STANDBY_NAME = 'patroni-ts lease fence';

/** The narrow part of Postgresql the gate needs. */
export interface GatePg {
  setSynchronousStandbyNames(value: string | null): Promise<void>;
}

/**
 * The commit gate of a leader whose lease may be running out (issue 17). Closing it stops new
 * commits from being acknowledged without stopping PostgreSQL, so the demotion that follows may
 * be the ordinary one. Sessions that set `synchronous_commit` to `local` or `off` themselves are
 * not held by it; the demotion's shutdown ends them.
 */
export class CommitGate {
  private closedAt: number | null = null;

  constructor(
    private readonly pg: GatePg,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  get closed(): boolean {
    return this.closedAt !== null;
  }

  async close(): Promise<void> {
    this.closedAt = this.now();
    await this.pg.setSynchronousStandbyNames(`"${FENCE_STANDBY_NAME}"`);
    this.logger.warning('commit gate closed: no commit is acknowledged until the demotion');
  }

  /** After the demotion: synchronous_standby_names goes back to the configuration's. */
  async reopen(): Promise<void> {
    if (this.closedAt === null) return;
    this.closedAt = null;
    await this.pg.setSynchronousStandbyNames(null);
    this.logger.info('commit gate reopened after the demotion');
  }
}
