import type { EffectiveConfig } from '../../core/config/merge.js';
import type {
  BootstrapMethod,
  BootstrapOptions,
  OsIdentity,
  PgCredentials,
  PostgresOptions,
} from '../../core/pg/options.js';
import type { PatroniConfig } from '../../config/schema.js';

type Auth = PatroniConfig['postgresql']['authentication']['superuser'];

/** Only the string values of a section (sections keep unknown keys as `unknown`). */
function stringsOf<K extends string>(
  section: Readonly<Record<string, unknown>> | undefined,
): Partial<Record<K, string>> | undefined {
  if (section === undefined) return undefined;
  return Object.fromEntries(
    Object.entries(section).filter((e): e is [string, string] => typeof e[1] === 'string'),
  ) as Partial<Record<K, string>>;
}

function credentials(user: Auth): PgCredentials {
  const { username, password, ...libpq } = user;
  const extra = Object.fromEntries(
    Object.entries(libpq).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
  return {
    username,
    ...(password === undefined ? {} : { password }),
    ...(Object.keys(extra).length === 0 ? {} : { libpq: extra }),
  };
}

/** `postgresql.<method>` sections named by create_replica_methods. */
function replicaMethodSections(
  config: PatroniConfig,
  methods: readonly string[],
): Record<string, Readonly<Record<string, unknown>>> {
  const section = config.postgresql as Readonly<Record<string, unknown>>;
  const out: Record<string, Readonly<Record<string, unknown>>> = {};
  for (const m of methods) {
    const value = section[m];
    if (m !== 'basebackup' && typeof value === 'object' && value !== null) {
      out[m] = value as Readonly<Record<string, unknown>>;
    }
  }
  return out;
}

function asList(value: string | readonly string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value.split(',').map((s) => s.trim()) : [...value];
}

/** The PostgreSQL layer's view of patroni.yml plus the effective (merged) settings. */
export function toPostgresOptions(
  config: PatroniConfig,
  effective: EffectiveConfig,
  owner: OsIdentity | null,
  home: string,
): PostgresOptions {
  const pg = config.postgresql;
  const methods = asList(pg.create_replica_methods) ??
    asList(pg.create_replica_method) ?? ['basebackup'];
  const eff = effective.postgresql;
  return {
    scope: config.scope,
    name: config.name,
    dataDir: pg.data_dir,
    configDir: pg.config_dir,
    binDir: pg.bin_dir ?? '',
    binName: stringsOf(pg.bin_name),
    listen: pg.listen,
    connectAddress: pg.connect_address,
    authentication: {
      superuser: credentials(pg.authentication.superuser),
      replication: credentials(pg.authentication.replication),
      rewind:
        pg.authentication.rewind === undefined ? undefined : credentials(pg.authentication.rewind),
    },
    parameters: effective.parameters,
    pgHba: eff.pg_hba,
    pgIdent: eff.pg_ident,
    pgCtlTimeout: pg.pg_ctl_timeout,
    usePgRewind: effective.ha.usePgRewind,
    callbacks: stringsOf(pg.callbacks),
    createReplicaMethods: methods,
    replicaMethods: replicaMethodSections(config, methods),
    basebackup: pg.basebackup,
    pgpass: pg.pgpass ?? `${home}/pgpass`,
    removeDataDirectoryOnRewindFailure: effective.ha.removeDataDirectoryOnRewindFailure,
    removeDataDirectoryOnDivergedTimelines: effective.ha.removeDataDirectoryOnDivergedTimelines,
    recoveryConf: eff.recovery_conf,
    useUnixSocket: pg.use_unix_socket,
    useSlots: effective.ha.useSlots,
    database: pg.database,
    configBaseName: pg.config_base_name,
    customConf: pg.custom_conf,
    owner,
  };
}

const BOOTSTRAP_KEYS = new Set([
  'dcs',
  'method',
  'initdb',
  'pg_hba',
  'users',
  'post_bootstrap',
  'post_init',
]);

export function toBootstrapOptions(config: PatroniConfig): BootstrapOptions {
  const b = (config.bootstrap ?? {}) as Readonly<Record<string, unknown>>;
  const methods: Record<string, BootstrapMethod> = {};
  for (const [key, value] of Object.entries(b)) {
    if (BOOTSTRAP_KEYS.has(key) || typeof value !== 'object' || value === null) continue;
    const m = value as Readonly<Record<string, unknown>>;
    if (typeof m['command'] !== 'string') continue;
    methods[key] = {
      command: m['command'],
      noParams: m['no_params'] === true,
      keepExistingRecoveryConf: m['keep_existing_recovery_conf'] === true,
      recoveryConf: m['recovery_conf'] as BootstrapMethod['recoveryConf'],
    };
  }
  const post = b['post_bootstrap'] ?? b['post_init'];
  return {
    method: typeof b['method'] === 'string' ? b['method'] : undefined,
    methods,
    initdb: b['initdb'] as BootstrapOptions['initdb'],
    pgHba: b['pg_hba'] as BootstrapOptions['pgHba'],
    users: b['users'] as BootstrapOptions['users'],
    postBootstrap: typeof post === 'string' ? post : undefined,
  };
}

/** Some configured replica method can run without a leader (§10.1). */
export function hasLeaderlessReplicaMethod(options: PostgresOptions): boolean {
  return (options.createReplicaMethods ?? []).some((m) => {
    const s = options.replicaMethods?.[m];
    return (
      m !== 'basebackup' && s !== undefined && (s['no_leader'] === true || s['no_master'] === true)
    );
  });
}
