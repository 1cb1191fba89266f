import { errorMessage } from '../../shared/errors.js';
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
  setCommitGate(standbyName: string | null): Promise<void>;
  /**
   * `synchronous_standby_names` as a session of the server sees it now: once the fence name
   * shows, the postmaster has re-read the file and passed the SIGHUP on (the checkpointer, which
   * sets the flag commits read, got it at the same moment).
   */
  currentSyncStandbyNames?(): Promise<string | null>;
  /** Ends every other client session; returns how many were signalled. */
  terminateClientSessions?(): Promise<number>;
}

/** How long close() waits to see the gate in effect; the demotion follows either way. */
const CONFIRM_MS = 1000;
const CONFIRM_STEP_MS = 20;

/**
 * The commit gate of a leader whose lease may be running out (issue 17). Closing it stops new
 * commits from being acknowledged without stopping PostgreSQL, so the demotion that follows may
 * be the ordinary one. `synchronous_commit` is forced on in the file; sessions, roles or
 * databases that set it to `local` or `off` themselves are not held by that, nor is a client
 * that cancels its own waiting commit (PostgreSQL then reports it committed), so once the new
 * setting is in effect every other client session is ended: a new session gets the forced
 * settings, and a terminated wait is never acknowledged. The demotion follows anyway.
 */
export class CommitGate {
  private closedAt: number | null = null;

  constructor(
    private readonly pg: GatePg,
    private readonly logger: Logger,
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((r) => setTimeout(r, ms)),
  ) {}

  get closed(): boolean {
    return this.closedAt !== null;
  }

  async close(): Promise<void> {
    this.closedAt = this.now();
    await this.pg.setCommitGate(`"${FENCE_STANDBY_NAME}"`);
    const took = await this.confirm();
    const ended = await this.endSessions();
    this.logger.warning(
      `commit gate closed${took === null ? ' (not confirmed)' : ` in ${took} ms`}` +
        `${ended === null ? '' : `, ${ended} client sessions ended`}: ` +
        'no commit is acknowledged until the demotion',
    );
  }

  /** After the gate is in effect (or could not be seen to be): ends the other sessions. */
  private async endSessions(): Promise<number | null> {
    const end = this.pg.terminateClientSessions?.bind(this.pg);
    if (end === undefined) return null;
    try {
      return await end();
    } catch (err) {
      this.logger.error(
        `ending client sessions behind the commit gate failed: ${errorMessage(err)}`,
      );
      return null;
    }
  }

  /** Ms until a session saw the fence name, or null when none did in time. */
  private async confirm(): Promise<number | null> {
    const read = this.pg.currentSyncStandbyNames?.bind(this.pg);
    if (read === undefined || this.closedAt === null) return null;
    const start = this.closedAt;
    while (this.now() - start < CONFIRM_MS) {
      const seen = await read().catch(() => null);
      if (seen?.includes(FENCE_STANDBY_NAME) === true) return Math.round(this.now() - start);
      await this.sleep(CONFIRM_STEP_MS);
    }
    return null;
  }

  /**
   * After the demotion, or a renewal that proved the lease never ran out: both parameters go
   * back to what they were before the gate (the configuration's, or the names synchronous mode
   * set, see Postgresql.setCommitGate).
   */
  async reopen(why = 'after the demotion'): Promise<void> {
    if (this.closedAt === null) return;
    this.closedAt = null;
    await this.pg.setCommitGate(null);
    this.logger.info(`commit gate reopened ${why}`);
  }
}
