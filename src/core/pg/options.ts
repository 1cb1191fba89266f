/**
 * What the PostgreSQL layer needs to know, mirroring the `postgresql` (and `bootstrap`) sections
 * of patroni.yml. The config layer maps the parsed file onto these; the effective `parameters` map
 * arrives ready (computed by core/config), and this layer adds only what its file layout needs.
 */
export type PgParamValue = string | number | boolean;

/** The binaries Patroni calls, each renamable through `postgresql.bin_name`. */
export type PgProgram =
  | 'pg_ctl'
  | 'initdb'
  | 'pg_controldata'
  | 'pg_basebackup'
  | 'postgres'
  | 'pg_isready'
  | 'pg_rewind';

/** `authentication.<kind>`: a username, an optional password and libpq ssl/gss keys. */
export interface PgCredentials {
  readonly username: string;
  readonly password?: string | undefined;
  /** sslmode, sslkey, sslcert, sslrootcert, sslcrl, sslcrldir, gssencmode, channel_binding, ... */
  readonly libpq?: Readonly<Record<string, string>> | undefined;
}

export interface PgAuthentication {
  readonly superuser: PgCredentials;
  readonly replication: PgCredentials;
  /** Defaults to the superuser. */
  readonly rewind?: PgCredentials | undefined;
}

/**
 * `bootstrap.initdb` / `postgresql.basebackup` style options: a list of `flag` strings and
 * single-key maps, or one map.
 */
export type PgOptionList =
  readonly (string | Readonly<Record<string, unknown>>)[] | Readonly<Record<string, unknown>>;

export type CallbackAction = 'on_start' | 'on_stop' | 'on_restart' | 'on_reload' | 'on_role_change';

/** An OS account to run PostgreSQL programs as (the data directory owner when we are root). */
export interface OsIdentity {
  readonly uid: number;
  readonly gid: number;
  readonly home?: string | undefined;
  readonly name?: string | undefined;
}

export interface PostgresOptions {
  /** Top-level `scope` (the cluster name). */
  readonly scope: string;
  /** Top-level `name` (this member). */
  readonly name: string;
  readonly dataDir: string;
  /** Defaults to dataDir. */
  readonly configDir?: string | undefined;
  /** '' means "use PATH". */
  readonly binDir: string;
  readonly binName?: Readonly<Partial<Record<PgProgram, string>>> | undefined;
  /** `h1[,h2]:port`. */
  readonly listen: string;
  /** `host:port`, published as conn_url. */
  readonly connectAddress: string;
  readonly authentication: PgAuthentication;
  /** The effective parameters (already merged and validated by core/config). */
  readonly parameters: Readonly<Record<string, PgParamValue>>;
  readonly pgHba?: readonly string[] | undefined;
  readonly pgIdent?: readonly string[] | undefined;
  /** Seconds; default 60. */
  readonly pgCtlTimeout?: number | undefined;
  readonly usePgRewind?: boolean | undefined;
  readonly callbacks?: Readonly<Partial<Record<CallbackAction, string>>> | undefined;
  /** Default ['basebackup']. */
  readonly createReplicaMethods?: readonly string[] | undefined;
  /** `postgresql.<method>` sections for the custom replica methods, raw. */
  readonly replicaMethods?: Readonly<Record<string, Readonly<Record<string, unknown>>>> | undefined;
  readonly basebackup?: PgOptionList | undefined;
  /** Default `~/pgpass` of the PostgreSQL OS user. */
  readonly pgpass: string;
  readonly removeDataDirectoryOnRewindFailure?: boolean | undefined;
  readonly removeDataDirectoryOnDivergedTimelines?: boolean | undefined;
  readonly recoveryConf?: Readonly<Record<string, PgParamValue>> | undefined;
  /** The local superuser connection goes through the Unix socket. */
  readonly useUnixSocket?: boolean | undefined;
  /** Local replication connections (and custom bootstrap's trust rules) use the socket. */
  readonly useUnixSocketRepl?: boolean | undefined;
  /** `/config` postgresql.use_slots; default true. */
  readonly useSlots?: boolean | undefined;
  /** `postgresql.database`, default `postgres`. */
  readonly database?: string | undefined;
  /** Default `postgresql`. */
  readonly configBaseName?: string | undefined;
  /** Included instead of `<base>.base.conf`. */
  readonly customConf?: string | undefined;
  /** Run PostgreSQL programs as this account; null/absent: as ourselves. */
  readonly owner?: OsIdentity | null | undefined;
}

/** `bootstrap.<method>` section of a custom bootstrap method. */
export interface BootstrapMethod {
  readonly command: string;
  readonly noParams?: boolean | undefined;
  readonly keepExistingRecoveryConf?: boolean | undefined;
  readonly recoveryConf?: Readonly<Record<string, PgParamValue>> | undefined;
}

export interface BootstrapUser {
  readonly password?: string | undefined;
  readonly options?: readonly string[] | undefined;
}

/** The `bootstrap` section minus `dcs`. */
export interface BootstrapOptions {
  /** Default 'initdb'. */
  readonly method?: string | undefined;
  readonly methods?: Readonly<Record<string, BootstrapMethod>> | undefined;
  readonly initdb?: PgOptionList | undefined;
  readonly pgHba?: readonly string[] | undefined;
  readonly users?: Readonly<Record<string, BootstrapUser>> | undefined;
  /** `post_bootstrap` or its alias `post_init`. */
  readonly postBootstrap?: string | undefined;
}

/** Resolved defaults, so no caller repeats them. */
export function configDirOf(o: PostgresOptions): string {
  return o.configDir !== undefined && o.configDir !== '' ? o.configDir : o.dataDir;
}

export function configBaseNameOf(o: PostgresOptions): string {
  return o.configBaseName ?? 'postgresql';
}

export function pgCtlTimeoutMs(o: PostgresOptions): number {
  return (o.pgCtlTimeout ?? 60) * 1000;
}

export function rewindCredentials(o: PostgresOptions): PgCredentials {
  return o.authentication.rewind ?? o.authentication.superuser;
}

/** Splits `h1,h2:port` into hosts and port (default 5432). */
export function parseListen(listen: string): { hosts: string[]; port: number } {
  const i = listen.lastIndexOf(':');
  const hostPart = i < 0 ? listen : listen.slice(0, i);
  const portText = i < 0 ? '' : listen.slice(i + 1);
  const port = portText === '' ? 5432 : Number(portText);
  const hosts = hostPart
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
  return { hosts, port: Number.isInteger(port) ? port : 5432 };
}

/** Splits `host:port` (port default 5432). */
export function parseHostPort(address: string): { host: string; port: number } {
  const { hosts, port } = parseListen(address);
  return { host: hosts[0] ?? '', port };
}
