/**
 * Maps the parsed patroni.yml (plus the effective merge) onto the option records the other
 * layers take: PostgresOptions and BootstrapOptions (core/pg/options.ts) and member Tags
 * (core/model/tags.ts). One place, so no caller re-derives a default.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { EffectiveConfig } from '../core/config/merge.js';
import type { Tags } from '../core/model/tags.js';
import type {
  BootstrapMethod,
  BootstrapOptions,
  OsIdentity,
  PgCredentials,
  PgProgram,
  PostgresOptions,
} from '../core/pg/options.js';
import { isRecord } from '../core/config/values.js';
import { bootstrapMethodSchema } from './schema-bootstrap.js';
import { PG_PROGRAMS } from './schema-postgresql.js';
import type { PatroniConfig } from './schema.js';

type User = PatroniConfig['postgresql']['authentication']['superuser'];

function credentials(user: User): PgCredentials {
  const { username, password, ...rest } = user;
  const libpq: Record<string, string> = {};
  for (const [k, v] of Object.entries(rest)) if (typeof v === 'string') libpq[k] = v;
  return {
    username,
    ...(password === undefined ? {} : { password }),
    ...(Object.keys(libpq).length === 0 ? {} : { libpq }),
  };
}

/** `T` with every property that may be undefined made optional and never undefined. */
type Defined<T> = {
  [K in keyof T as undefined extends T[K] ? never : K]: T[K];
} & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/** Drops undefined values so optional fields stay absent (exactOptionalPropertyTypes). */
function defined<T extends Record<string, unknown>>(record: T): Defined<T> {
  return Object.fromEntries(
    Object.entries(record).filter(([, v]) => v !== undefined),
  ) as Defined<T>;
}

function binNames(config: PatroniConfig): Partial<Record<PgProgram, string>> | undefined {
  const names = config.postgresql.bin_name;
  if (names === undefined) return undefined;
  const out: Partial<Record<PgProgram, string>> = {};
  for (const program of PG_PROGRAMS) {
    const value = names[program];
    if (value !== undefined) out[program] = value;
  }
  return out;
}

export interface PostgresOptionsExtras {
  /** Run PostgreSQL programs as this account (we are root). */
  readonly owner?: OsIdentity | null;
  /** Home of the account whose `~/pgpass` Patroni defaults to; default: ours. */
  readonly homeDir?: string;
}

/**
 * The `postgresql.<method>` sections of the replica methods in use: the local
 * `create_replica_methods` and, in a standby cluster, `standby_cluster.create_replica_methods`
 * (Patroni looks a method's section up by name, wherever the name came from).
 */
function replicaMethods(
  config: PatroniConfig,
  effective: EffectiveConfig,
): Record<string, Readonly<Record<string, unknown>>> {
  const pg = config.postgresql;
  const out: Record<string, Readonly<Record<string, unknown>>> = {};
  const names = [
    ...(pg.create_replica_methods ?? pg.create_replica_method ?? []),
    ...(effective.standbyCluster?.create_replica_methods ?? []),
  ];
  for (const method of names) {
    const section = pg[method];
    if (method !== 'basebackup' && isRecord(section)) out[method] = section;
  }
  return out;
}

export function postgresOptions(
  config: PatroniConfig,
  effective: EffectiveConfig,
  extras: PostgresOptionsExtras = {},
): PostgresOptions {
  const pg = config.postgresql;
  const auth = pg.authentication;
  const eff = effective.postgresql;
  const timeout = eff['pg_ctl_timeout'];
  return defined({
    scope: config.scope,
    name: config.name,
    dataDir: pg.data_dir,
    configDir: pg.config_dir,
    binDir: pg.bin_dir ?? '',
    binName: binNames(config),
    listen: pg.listen,
    connectAddress: pg.connect_address,
    authentication: defined({
      superuser: credentials(auth.superuser),
      replication: credentials(auth.replication),
      rewind: auth.rewind === undefined ? undefined : credentials(auth.rewind),
    }),
    parameters: effective.parameters,
    pgHba: eff.pg_hba,
    pgIdent: eff.pg_ident,
    pgCtlTimeout: typeof timeout === 'number' ? timeout : undefined,
    usePgRewind: effective.ha.usePgRewind,
    callbacks: pg.callbacks === undefined ? undefined : defined({ ...pg.callbacks }),
    createReplicaMethods: pg.create_replica_methods ?? pg.create_replica_method,
    replicaMethods: replicaMethods(config, effective),
    basebackup: pg.basebackup,
    pgpass: pg.pgpass ?? join(extras.homeDir ?? homedir(), 'pgpass'),
    removeDataDirectoryOnRewindFailure: effective.ha.removeDataDirectoryOnRewindFailure,
    removeDataDirectoryOnDivergedTimelines: effective.ha.removeDataDirectoryOnDivergedTimelines,
    recoveryConf: eff.recovery_conf,
    useUnixSocket: pg.use_unix_socket,
    useUnixSocketRepl: pg.use_unix_socket_repl,
    useSlots: effective.ha.useSlots,
    database: pg.database,
    configBaseName: pg.config_base_name,
    customConf: pg.custom_conf,
    owner: extras.owner,
  });
}

export function bootstrapOptions(config: PatroniConfig): BootstrapOptions {
  const b = config.bootstrap;
  if (b === undefined) return {};
  const methods: Record<string, BootstrapMethod> = {};
  const method = b.method;
  if (method !== undefined && method !== 'initdb') {
    const parsed = bootstrapMethodSchema.safeParse(b[method]);
    if (parsed.success) {
      methods[method] = defined({
        command: parsed.data.command,
        noParams: parsed.data.no_params,
        keepExistingRecoveryConf: parsed.data.keep_existing_recovery_conf,
        recoveryConf: parsed.data.recovery_conf,
      });
    }
  }
  return defined({
    method,
    methods: Object.keys(methods).length === 0 ? undefined : methods,
    initdb: b.initdb,
    pgHba: b.pg_hba,
    users: b.users,
    postBootstrap: b.post_bootstrap ?? b.post_init,
  });
}

const BUILT_IN_TAGS = new Set([
  'nofailover',
  'noloadbalance',
  'clonefrom',
  'nosync',
  'replicatefrom',
  'failover_priority',
]);

/**
 * Member tags. `failover_priority <= 0` means "never fail over to me" unless nofailover says
 * otherwise (nofailover wins a conflict, with the warning parse.ts logs).
 */
export function tagsOf(config: PatroniConfig): Tags {
  const t = config.tags ?? {};
  const custom: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(t)) if (!BUILT_IN_TAGS.has(k)) custom[k] = v;
  const priority = t.failover_priority;
  return defined({
    nofailover: t.nofailover ?? (priority !== undefined && priority <= 0),
    noloadbalance: t.noloadbalance ?? false,
    clonefrom: t.clonefrom ?? false,
    nosync: t.nosync ?? false,
    replicatefrom: t.replicatefrom,
    failoverPriority: priority,
    custom,
  });
}
