/**
 * libpq key/value connection strings as Patroni formats them (`ConfigHandler.format_dsn`): a fixed
 * key order, and `'`, `\` and space escaped with a backslash. The order matters because operators
 * and Patroni peers compare `primary_conninfo` texts.
 */
const KEY_ORDER = [
  'dbname',
  'user',
  'passfile',
  'password',
  'host',
  'port',
  'sslmode',
  'sslcompression',
  'sslcert',
  'sslkey',
  'sslpassword',
  'sslrootcert',
  'sslcrl',
  'sslcrldir',
  'application_name',
  'krbsrvname',
  'gssencmode',
  'channel_binding',
  'target_session_attrs',
] as const;

export type ConninfoParams = Readonly<Partial<Record<string, string | number>>>;

export function escapeConninfoValue(value: string): string {
  return value.replace(/(['\\ ])/g, '\\$1');
}

/**
 * Renders the known keys in Patroni's order; `passfile` replaces `password` when both are set.
 * `includeDbname` mirrors format_dsn(include_dbname=True): dbname kept, secrets dropped.
 */
export function formatConninfo(params: ConninfoParams, includeDbname = false): string {
  const skip = new Set<string>(includeDbname ? ['passfile', 'password'] : ['dbname']);
  if (params['passfile'] !== undefined) skip.add('password');
  else skip.add('passfile');
  return KEY_ORDER.filter((k) => !skip.has(k) && params[k] !== undefined)
    .map((k) => `${k}=${escapeConninfoValue(String(params[k]))}`)
    .join(' ');
}

/** Parses `postgres://user:pass@host:port/db?k=v` (a member's conn_url) into libpq keys. */
export function parseConnUrl(url: string): Record<string, string> | null {
  const m =
    /^postgres(?:ql)?:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?]*)(?:\/([^?]*))?(?:\?(.*))?$/.exec(
      url,
    );
  if (m === null) return null;
  const out: Record<string, string> = {};
  const [, user, password, netloc, db, query] = m;
  if (user !== undefined && user !== '') out['user'] = decodeURIComponent(user);
  if (password !== undefined && password !== '') out['password'] = decodeURIComponent(password);
  const hostPort = parseNetloc(netloc ?? '');
  if (hostPort.host !== '') out['host'] = hostPort.host;
  if (hostPort.port !== '') out['port'] = hostPort.port;
  if (db !== undefined && db !== '') out['dbname'] = decodeURIComponent(db);
  for (const pair of (query ?? '').split('&')) {
    const i = pair.indexOf('=');
    if (i > 0) out[decodeURIComponent(pair.slice(0, i))] = decodeURIComponent(pair.slice(i + 1));
  }
  return out;
}

function parseNetloc(netloc: string): { host: string; port: string } {
  if (netloc.startsWith('[')) {
    const end = netloc.indexOf(']');
    const rest = netloc.slice(end + 1);
    return { host: netloc.slice(1, end), port: rest.startsWith(':') ? rest.slice(1) : '' };
  }
  const i = netloc.lastIndexOf(':');
  return i < 0
    ? { host: decodeURIComponent(netloc), port: '' }
    : { host: decodeURIComponent(netloc.slice(0, i)), port: netloc.slice(i + 1) };
}
