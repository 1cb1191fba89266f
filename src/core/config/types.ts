/**
 * The configuration shapes the pure merge reads. They mirror the outputs of the zod schemas in
 * src/config (which checks, at compile time, that its outputs fit these), so the core never
 * imports the schema library. Keys keep Patroni's snake_case spelling: they are the file format.
 */

export type PgParamValue = string | number | boolean;

export interface StandbyClusterConfig {
  /** A host, a comma-separated list of hosts, or a list. */
  readonly host?: string | readonly string[] | undefined;
  readonly port?: number | undefined;
  readonly primary_slot_name?: string | undefined;
  readonly create_replica_methods?: readonly string[] | undefined;
  readonly restore_command?: string | undefined;
  readonly archive_cleanup_command?: string | undefined;
  readonly recovery_min_apply_delay?: string | number | undefined;
  readonly [key: string]: unknown;
}

/** The `postgresql` keys the dynamic layer may carry. */
export interface DynamicPostgresql {
  readonly use_slots?: boolean | undefined;
  readonly use_pg_rewind?: boolean | undefined;
  /** null values mean "remove this parameter" (patronictl edit-config writes them). */
  readonly parameters?: Readonly<Record<string, PgParamValue | null>> | undefined;
  readonly pg_hba?: readonly string[] | undefined;
  readonly pg_ident?: readonly string[] | undefined;
  readonly recovery_conf?: Readonly<Record<string, PgParamValue>> | undefined;
  readonly pg_ctl_timeout?: number | undefined;
  readonly remove_data_directory_on_rewind_failure?: boolean | undefined;
  readonly remove_data_directory_on_diverged_timelines?: boolean | undefined;
  readonly [key: string]: unknown;
}

/** The DCS `config` key (and `bootstrap.dcs`), after lenient parsing. */
export interface DynamicConfig {
  readonly ttl?: number | undefined;
  readonly loop_wait?: number | undefined;
  readonly retry_timeout?: number | undefined;
  readonly maximum_lag_on_failover?: number | undefined;
  readonly maximum_lag_on_syncnode?: number | undefined;
  readonly max_timelines_history?: number | undefined;
  readonly primary_start_timeout?: number | undefined;
  readonly primary_stop_timeout?: number | undefined;
  readonly master_start_timeout?: number | undefined;
  readonly master_stop_timeout?: number | undefined;
  readonly synchronous_mode?: boolean | undefined;
  readonly synchronous_mode_strict?: boolean | undefined;
  readonly synchronous_node_count?: number | undefined;
  readonly failsafe_mode?: boolean | undefined;
  readonly check_timeline?: boolean | undefined;
  readonly pause?: boolean | null | undefined;
  readonly member_slots_ttl?: number | undefined;
  readonly primary_race_backoff?: number | undefined;
  readonly postgresql?: DynamicPostgresql | undefined;
  readonly standby_cluster?: StandbyClusterConfig | null | undefined;
  readonly slots?: Readonly<Record<string, unknown>> | null | undefined;
  readonly permanent_slots?: Readonly<Record<string, unknown>> | null | undefined;
  readonly permanent_replication_slots?: Readonly<Record<string, unknown>> | null | undefined;
  readonly ignore_slots?: readonly Readonly<Record<string, unknown>>[] | null | undefined;
  readonly [key: string]: unknown;
}

/** The parts of the local `postgresql` section the merge reads; everything else passes through. */
export interface LocalPostgresql {
  readonly parameters?: Readonly<Record<string, PgParamValue | null>> | undefined;
  readonly use_pg_rewind?: boolean | undefined;
  readonly use_slots?: boolean | undefined;
  readonly pg_hba?: readonly string[] | undefined;
  readonly pg_ident?: readonly string[] | undefined;
  readonly recovery_conf?: Readonly<Record<string, PgParamValue>> | undefined;
  readonly remove_data_directory_on_rewind_failure?: boolean | undefined;
  readonly remove_data_directory_on_diverged_timelines?: boolean | undefined;
  readonly [key: string]: unknown;
}

/** The parts of the local configuration the merge reads. `PatroniConfig` satisfies it. */
export interface LocalConfig {
  readonly scope: string;
  readonly name: string;
  readonly postgresql: LocalPostgresql;
  readonly [key: string]: unknown;
}
