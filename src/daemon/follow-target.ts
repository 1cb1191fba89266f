import type { FollowTarget } from '../core/ha/input.js';
import type { FollowTarget as PgFollowTarget } from '../core/pg/recovery.js';

function given(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === '' ? undefined : value;
}

/**
 * The HA core's follow target as the PostgreSQL layer takes it. The remote primary of a standby
 * cluster carries the `standby_cluster` settings (its slot, restore_command, ...) into the
 * recovery configuration; a member of a standby cluster carries only the archive commands
 * (Patroni's `_get_node_to_follow`). Dropping them would start a standby leader without its
 * `primary_slot_name` or `restore_command`.
 */
export function pgFollowTarget(target: FollowTarget | null): PgFollowTarget | null {
  if (target === null) return null;
  const base = { name: target.name, connUrl: target.connUrl };
  const standby = target.standby;
  if (standby === undefined) {
    const archive = target.archive;
    if (archive === undefined) return base;
    return {
      ...base,
      restoreCommand: given(archive.restoreCommand),
      archiveCleanupCommand: given(archive.archiveCleanupCommand),
    };
  }
  return {
    ...base,
    remote: true,
    primarySlotName: given(standby.primarySlotName),
    restoreCommand: given(standby.restoreCommand),
    archiveCleanupCommand: given(standby.archiveCleanupCommand),
    recoveryMinApplyDelay: given(standby.recoveryMinApplyDelay),
  };
}
