import { formatConninfo, parseConnUrl } from './conninfo.js';
import type { PgCredentials, PgParamValue } from './options.js';
import type { PgpassEntry } from './pgpass.js';
import { slotNameFromMemberName } from './slot-name.js';

/** The member to stream from: a leader, a `replicatefrom` member, or a clone source. */
export interface FollowTarget {
  readonly name: string;
  readonly connUrl: string | null;
  /**
   * A standby cluster's remote source (`standby_cluster`): its slot is `primarySlotName` (none
   * when absent) and `recovery_min_apply_delay` applies.
   */
  readonly remote?: boolean | undefined;
  readonly primarySlotName?: string | undefined;
  /** Standby-cluster settings that override `postgresql.recovery_conf`. */
  readonly restoreCommand?: string | undefined;
  readonly archiveCleanupCommand?: string | undefined;
  readonly recoveryMinApplyDelay?: string | number | undefined;
}

export interface RecoveryInput {
  /** This member's name: `application_name` and the slot name. */
  readonly selfName: string;
  readonly replication: PgCredentials;
  /** `postgresql.recovery_conf`. */
  readonly recoveryConf: Readonly<Record<string, PgParamValue>>;
  readonly useSlots: boolean;
  /** Where a password goes instead of into `primary_conninfo` (`postgresql.pgpass`). */
  readonly pgpassPath: string;
  readonly krbsrvname?: string | undefined;
}

export interface RecoveryPlan {
  /** Parameters for the `# recovery.conf` block of postgresql.conf (PG 12+). */
  readonly params: Readonly<Record<string, PgParamValue>>;
  /** The pgpass entry the passfile must hold for `primary_conninfo`, if any. */
  readonly pgpass: PgpassEntry | null;
}

/** Neutralises recovery targets from included files, so a replica is never paused or promoted. */
const PG12_TARGET_RESETS: Readonly<Record<string, string>> = {
  recovery_target: '',
  recovery_target_lsn: '',
  recovery_target_name: '',
  recovery_target_time: '',
  recovery_target_xid: '',
};

/** Patroni's `build_recovery_params` for PG 12+ (spec/core.md §14.5). */
export function buildRecoveryParams(
  input: RecoveryInput,
  target: FollowTarget | null,
): RecoveryPlan {
  const params: Record<string, PgParamValue> = {};
  for (const [name, value] of Object.entries(input.recoveryConf)) {
    const lower = name.toLowerCase();
    if (lower.startsWith('recovery_target')) continue;
    if (lower === 'primary_conninfo' || lower === 'primary_slot_name' || lower === 'standby_mode')
      continue;
    params[name] = value;
  }
  Object.assign(params, PG12_TARGET_RESETS, { recovery_target_timeline: 'latest' });
  addStandbyClusterSettings(params, target);
  const conn = primaryConninfo(input, target);
  if (conn === null || target === null) return { params, pgpass: null };
  const slot = target.remote === true ? target.primarySlotName : input.selfName;
  if (input.useSlots && slot !== undefined && slot !== '') {
    params['primary_slot_name'] = slotNameFromMemberName(slot);
  }
  // A standby leader using a slot must reach the remote primary, not one of its replicas.
  const sessionAttrs = target.remote === true && params['primary_slot_name'] !== undefined;
  params['primary_conninfo'] = sessionAttrs
    ? `${conn.conninfo} target_session_attrs=read-write`
    : conn.conninfo;
  return { params, pgpass: conn.pgpass };
}

function addStandbyClusterSettings(
  params: Record<string, PgParamValue>,
  target: FollowTarget | null,
): void {
  if (target === null) return;
  if (nonEmpty(target.restoreCommand)) params['restore_command'] = target.restoreCommand;
  if (nonEmpty(target.archiveCleanupCommand)) {
    params['archive_cleanup_command'] = target.archiveCleanupCommand;
  }
  const delay = target.recoveryMinApplyDelay;
  if (target.remote === true && delay !== undefined && delay !== '' && delay !== 0) {
    params['recovery_min_apply_delay'] = delay;
  }
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

/**
 * `primary_conninfo` toward `target`, with the password moved to the passfile; null when the
 * target has no usable conn_url or is ourselves.
 */
export function primaryConninfo(
  input: RecoveryInput,
  target: FollowTarget | null,
): { conninfo: string; pgpass: PgpassEntry | null } | null {
  if (target === null || target.connUrl === null || target.name === input.selfName) return null;
  const url = parseConnUrl(target.connUrl);
  if (url === null) return null;
  const host = url['host'] ?? '';
  const port = url['port'] ?? '5432';
  const cred = input.replication;
  const params: Record<string, string> = {
    ...(cred.libpq ?? {}),
    user: cred.username,
    host,
    port,
    application_name: input.selfName,
  };
  params['sslmode'] ??= 'prefer';
  params['gssencmode'] ??= 'prefer';
  params['channel_binding'] ??= 'prefer';
  if (input.krbsrvname !== undefined) params['krbsrvname'] = input.krbsrvname;
  let pgpass: PgpassEntry | null = null;
  if (cred.password !== undefined && cred.password !== '') {
    params['passfile'] = input.pgpassPath;
    pgpass = { host, port, user: cred.username, password: cred.password };
  }
  return { conninfo: formatConninfo(params), pgpass };
}

/**
 * Recovery parameters of a custom bootstrap's `recovery_conf` (PITR): written as given, except
 * `standby_mode`, which PG 12+ expresses with the signal file instead.
 */
export function bootstrapRecoveryParams(
  recoveryConf: Readonly<Record<string, PgParamValue>>,
): Record<string, PgParamValue> {
  const out: Record<string, PgParamValue> = {};
  for (const [k, v] of Object.entries(recoveryConf)) if (k !== 'standby_mode') out[k] = v;
  return out;
}

/** Recovery settings are managed apart from the main parameters (never written there). */
export const RECOVERY_PARAMETER_NAMES: ReadonlySet<string> = new Set([
  'archive_cleanup_command',
  'restore_command',
  'recovery_end_command',
  'recovery_target',
  'recovery_target_name',
  'recovery_target_time',
  'recovery_target_xid',
  'recovery_target_lsn',
  'recovery_target_inclusive',
  'recovery_target_timeline',
  'recovery_target_action',
  'recovery_min_apply_delay',
  'primary_conninfo',
  'primary_slot_name',
  'promote_trigger_file',
  'trigger_file',
  'standby_mode',
  'pause_at_recovery_target',
]);
