/**
 * defaults <- dynamic (DCS `config`) <- local (patroni.yml + env), with Patroni's exceptions
 * (spec/core.md §1.1-§1.3, patroni/config.py `_build_effective_configuration`):
 * - the HA timings and modes come from the dynamic layer only (local top-level values of keys
 *   Patroni has defaults for are ignored);
 * - `postgresql.use_slots` is dynamic-only;
 * - command-line parameters (pg-params.ts) are dropped from local, and taken from dynamic only
 *   when their check passes;
 * - `master_*_timeout` are read as `primary_*_timeout` when the new name is absent;
 * - the newest timing rule (`loop_wait + 2*retry_timeout <= ttl`) is applied to our own timing,
 *   with Patroni's warnings, never written back.
 */
import { DEFAULT_HA_SETTINGS, type HaSettings } from '../model/settings.js';
import { computeParameters } from './parameters.js';
import { adjustTimeouts } from './timeouts.js';
import type { DynamicConfig, LocalConfig, PgParamValue, StandbyClusterConfig } from './types.js';

/** The merged `postgresql` section; `parameters` is the effective map. */
export interface EffectivePostgresql {
  readonly parameters: Readonly<Record<string, PgParamValue>>;
  readonly use_slots: boolean;
  readonly use_pg_rewind: boolean;
  readonly pg_hba?: readonly string[] | undefined;
  readonly pg_ident?: readonly string[] | undefined;
  readonly recovery_conf?: Readonly<Record<string, PgParamValue>> | undefined;
  readonly [key: string]: unknown;
}

export interface EffectiveConfig {
  readonly ha: HaSettings;
  readonly postgresql: EffectivePostgresql;
  /** Shortcut to `postgresql.parameters`: every GUC to write, command-line ones included. */
  readonly parameters: Readonly<Record<string, PgParamValue>>;
  readonly standbyCluster: StandbyClusterConfig | null;
  readonly pause: boolean;
  /** 0 = keep the whole history. */
  readonly maxTimelinesHistory: number;
  /** First non-empty of permanent_replication_slots, permanent_slots, slots. */
  readonly permanentSlots: Readonly<Record<string, unknown>>;
  readonly ignoreSlots: readonly Readonly<Record<string, unknown>>[];
  /** Sentences to log at WARNING (timing adjusted, parameter refused, ...). */
  readonly warnings: readonly string[];
}

export interface MergeOptions {
  /** Major version of the local PostgreSQL (decides wal_keep_*); default 15. */
  readonly pgMajor?: number;
}

/** Keys of the dynamic `postgresql` section a node never takes from the DCS. */
const LOCAL_ONLY_PG_KEYS = new Set([
  'connect_address',
  'proxy_address',
  'listen',
  'config_dir',
  'data_dir',
  'pgpass',
  'authentication',
]);

export function effectiveConfig(
  local: LocalConfig,
  dynamic: DynamicConfig | null,
  options: MergeOptions = {},
): EffectiveConfig {
  const dyn = dynamic ?? {};
  const warnings: string[] = [];
  const ha = haSettings(local, dyn, warnings);
  const parameters = computeParameters(
    local.postgresql.parameters,
    dyn.postgresql?.parameters,
    options.pgMajor ?? 15,
    warnings,
  );
  const postgresql: EffectivePostgresql = {
    ...dynamicPostgresql(dyn),
    ...withoutKeys(local.postgresql, ['parameters', 'use_slots']),
    parameters,
    use_slots: ha.useSlots,
    use_pg_rewind: ha.usePgRewind,
  };
  return {
    ha,
    postgresql,
    parameters,
    standbyCluster: standbyCluster(dyn.standby_cluster),
    pause: dyn.pause === true,
    maxTimelinesHistory: dyn.max_timelines_history ?? 0,
    permanentSlots: permanentSlots(dyn),
    ignoreSlots: dyn.ignore_slots ?? [],
    warnings,
  };
}

function haSettings(local: LocalConfig, dyn: DynamicConfig, warnings: string[]): HaSettings {
  const d = DEFAULT_HA_SETTINGS;
  const timing = adjustTimeouts(
    {
      ttl: dyn.ttl ?? d.ttl,
      loopWait: dyn.loop_wait ?? d.loopWait,
      retryTimeout: dyn.retry_timeout ?? d.retryTimeout,
    },
    warnings,
  );
  const lpg = local.postgresql;
  const dpg = dyn.postgresql ?? {};
  return {
    ...timing,
    maximumLagOnFailover: dyn.maximum_lag_on_failover ?? d.maximumLagOnFailover,
    maximumLagOnSyncnode: dyn.maximum_lag_on_syncnode ?? d.maximumLagOnSyncnode,
    checkTimeline: dyn.check_timeline ?? d.checkTimeline,
    primaryStartTimeout:
      dyn.primary_start_timeout ?? dyn.master_start_timeout ?? d.primaryStartTimeout,
    primaryStopTimeout: dyn.primary_stop_timeout ?? dyn.master_stop_timeout ?? d.primaryStopTimeout,
    synchronousMode: dyn.synchronous_mode ?? d.synchronousMode,
    synchronousModeStrict: dyn.synchronous_mode_strict ?? d.synchronousModeStrict,
    synchronousNodeCount: dyn.synchronous_node_count ?? d.synchronousNodeCount,
    failsafeMode: dyn.failsafe_mode ?? d.failsafeMode,
    useSlots: dpg.use_slots ?? d.useSlots,
    usePgRewind: lpg.use_pg_rewind ?? dpg.use_pg_rewind ?? d.usePgRewind,
    removeDataDirectoryOnRewindFailure:
      lpg.remove_data_directory_on_rewind_failure ??
      dpg.remove_data_directory_on_rewind_failure ??
      d.removeDataDirectoryOnRewindFailure,
    removeDataDirectoryOnDivergedTimelines:
      lpg.remove_data_directory_on_diverged_timelines ??
      dpg.remove_data_directory_on_diverged_timelines ??
      d.removeDataDirectoryOnDivergedTimelines,
  };
}

function dynamicPostgresql(dyn: DynamicConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(dyn.postgresql ?? {})) {
    if (!LOCAL_ONLY_PG_KEYS.has(key) && key !== 'parameters' && value !== undefined) {
      out[key] = value;
    }
  }
  return out;
}

function withoutKeys(
  section: Readonly<Record<string, unknown>>,
  keys: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(section)) {
    if (!keys.includes(key) && value !== undefined) out[key] = value;
  }
  return out;
}

/** A standby cluster is one whose section names a host, a port or a restore_command. */
function standbyCluster(
  value: StandbyClusterConfig | null | undefined,
): StandbyClusterConfig | null {
  if (value === null || value === undefined) return null;
  const host = value.host;
  const hasHost =
    typeof host === 'string' ? host.trim() !== '' : host !== undefined && host.length > 0;
  const hasSource =
    hasHost ||
    value.port !== undefined ||
    (value.restore_command !== undefined && value.restore_command !== '');
  return hasSource ? value : null;
}

function permanentSlots(dyn: DynamicConfig): Readonly<Record<string, unknown>> {
  for (const slots of [dyn.permanent_replication_slots, dyn.permanent_slots, dyn.slots]) {
    if (slots !== null && slots !== undefined && Object.keys(slots).length > 0) return slots;
  }
  return {};
}
