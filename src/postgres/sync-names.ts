import type { LocalPgState } from '../core/model/local-pg.js';
import type { PgContext } from './context.js';
import { nudgeWal, setOwnedParameter } from './reconfigure.js';

/**
 * Who writes `synchronous_standby_names`: synchronous mode (the HA loop) and the lease's commit
 * gate (daemon/lease/gate.ts). While the gate is closed it wins, the loop's choice is held and
 * applied when the gate reopens, and the loop is shown its own choice, not the gate's: it would
 * otherwise "correct" the names and open the gate, or restart its sync bookkeeping.
 */
export class SyncStandbyNames {
  /** The gate's standby name while the gate is closed. */
  private gate: string | null = null;
  /** As synchronous mode last set them (null: the configuration's). */
  private wanted: string | null = null;

  constructor(private readonly ctx: PgContext) {}

  /**
   * As Patroni owns them in sync mode; null gives them back to the configuration. Naming
   * standbys (not `*`) is followed by a commit that moves WAL, so that commits waiting for a
   * standby no longer named are released at once (`nudgeWal`).
   */
  async set(value: string | null): Promise<void> {
    this.wanted = value;
    if (this.gate !== null) return;
    const reloaded = await setOwnedParameter(this.ctx, 'synchronous_standby_names', value);
    if (reloaded && value !== null && value !== '*') await nudgeWal(this.ctx);
  }

  /**
   * With a name, every commit waits for that standby (synchronous_commit forced on, so a
   * configured `off` cannot bypass it); null gives synchronous_commit back to the configuration
   * and the names to synchronous mode's last choice. One file write, one SIGHUP; no WAL nudge:
   * the gate is closed to stop commits, not to release them.
   */
  async setGate(standbyName: string | null): Promise<void> {
    this.gate = standbyName;
    this.ctx.files.setOverride('synchronous_commit', standbyName === null ? null : 'on');
    await setOwnedParameter(this.ctx, 'synchronous_standby_names', standbyName ?? this.wanted);
  }

  /** An observation as the HA loop must see it (the names it asked for, behind a closed gate). */
  shown(seen: LocalPgState): LocalPgState {
    if (this.gate === null || seen.syncStandbyNames === null) return seen;
    return { ...seen, syncStandbyNames: this.wanted ?? '' };
  }
}
