/**
 * libpq connection keywords as Patroni assembles them before formatting a dsn or connecting:
 * a member's address from its conn_url plus every setting of an `authentication.<user>` entry
 * (`Member.conn_kwargs(auth)`), and the local addresses `use_unix_socket(_repl)` choose
 * (`ConfigHandler.resolve_connection_addresses`). Pure: the adapters connect or format.
 */
import { parseConnUrl } from './conninfo.js';
import { parseListen } from './options.js';
import type { PgCredentials, PostgresOptions } from './options.js';

/** libpq keyword → value. */
export type ConnKwargs = Record<string, string>;

/** `authentication.<user>` as libpq keywords: `username` becomes `user`, ssl/gss keys kept. */
export function credentialKwargs(cred: PgCredentials): ConnKwargs {
  const out: ConnKwargs = { ...(cred.libpq ?? {}), user: cred.username };
  if (cred.password !== undefined) out['password'] = cred.password;
  return out;
}

/**
 * A member's conn_url (host, port default 5432, dbname from the path) with `auth` applied on top,
 * as Patroni's `Member.conn_kwargs(auth)`; null for an unusable conn_url.
 */
export function memberConnKwargs(connUrl: string, auth?: PgCredentials): ConnKwargs | null {
  const url = parseConnUrl(connUrl);
  if (url === null || url['host'] === undefined) return null;
  const out: ConnKwargs = { host: url['host'], port: url['port'] ?? '5432' };
  if (url['dbname'] !== undefined) out['dbname'] = url['dbname'];
  return auth === undefined ? out : { ...out, ...credentialKwargs(auth) };
}

/**
 * Where this node's own PostgreSQL is reached. `host` null means libpq's compiled-in socket
 * directory (`use_unix_socket` without `unix_socket_directories`).
 */
export interface LocalAddress {
  readonly host: string | null;
  readonly port: number;
}

/** Patroni's TCP rule: localhost when listening on a wildcard or loopback, else the first. */
export function tcpLocalHost(listen: string): string {
  const { hosts } = parseListen(listen);
  const loopback = hosts.some((h) => ['*', '0.0.0.0', '127.0.0.1', 'localhost'].includes(h));
  if (loopback || hosts.length === 0 || hosts[0] === '::') return 'localhost';
  return hosts[0] ?? 'localhost';
}

/**
 * The local address for the superuser connection (`use_unix_socket`) or for local replication
 * connections (`use_unix_socket_repl`): the first absolute `unix_socket_directories` entry, TCP
 * when that parameter names none, or libpq's default socket when the parameter is not set.
 */
export function localAddress(
  o: Pick<PostgresOptions, 'listen' | 'parameters' | 'useUnixSocket' | 'useUnixSocketRepl'>,
  replication = false,
): LocalAddress {
  const port = parseListen(o.listen).port;
  const tcp = tcpLocalHost(o.listen);
  const unix = replication ? o.useUnixSocketRepl : o.useUnixSocket;
  if (unix !== true) return { host: tcp, port };
  const dirs = o.parameters['unix_socket_directories'];
  if (typeof dirs !== 'string') return { host: null, port };
  const first = dirs
    .split(',')
    .map((d) => d.trim())
    .find((d) => d.startsWith('/'));
  return { host: first ?? tcp, port };
}

/** `_conn_kwargs` of the rewind code: the database defaulted, and a read-write session asked. */
export function rewindSourceKwargs(member: ConnKwargs, database: string): ConnKwargs {
  const out: ConnKwargs = { ...member };
  if (out['dbname'] === undefined || out['dbname'] === '') out['dbname'] = database;
  out['target_session_attrs'] ??= 'read-write';
  return out;
}
