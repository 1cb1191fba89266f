import { quoteIdent, quoteLiteral } from '../core/pg/quote.js';
import type { SqlExecutor } from './connection.js';

/** Spec/core.md §10.3: statement logging off while passwords travel, back on afterwards. */
const QUIET = [
  'SET log_statement TO none',
  'SET log_min_duration_statement TO -1',
  "SET log_min_error_statement TO 'log'",
];
const LOUD = [
  'RESET log_statement',
  'RESET log_min_duration_statement',
  'RESET log_min_error_statement',
];

/** The functions pg_rewind needs from a non-superuser (PG 11+). */
export const REWIND_GRANTS = [
  'pg_catalog.pg_ls_dir(text, boolean, boolean)',
  'pg_catalog.pg_stat_file(text, boolean)',
  'pg_catalog.pg_read_binary_file(text)',
  'pg_catalog.pg_read_binary_file(text, bigint, bigint, boolean)',
];

/**
 * Create the role or, when it exists, alter it: one DO block, so running bootstrap twice (or on a
 * restored cluster) converges instead of failing. The password never reaches the server log.
 */
export function createOrAlterRoleSql(
  name: string,
  password: string | undefined,
  options: readonly string[],
): string {
  const opts = options.map((o) => o.toUpperCase());
  const withClause = [
    ...opts,
    ...(password === undefined ? [] : [`PASSWORD ${quoteLiteral(password)}`]),
  ];
  const tail = withClause.length === 0 ? '' : ` WITH ${withClause.join(' ')}`;
  const role = quoteIdent(name);
  return (
    'DO $patroni$ BEGIN\n' +
    "  SET local synchronous_commit = 'local';\n" +
    `  PERFORM * FROM pg_catalog.pg_authid WHERE rolname = ${quoteLiteral(name)};\n` +
    `  IF FOUND THEN ALTER ROLE ${role}${tail};\n` +
    `  ELSE CREATE ROLE ${role}${tail};\n` +
    '  END IF;\nEND;$patroni$'
  );
}

export async function createOrAlterRole(
  sql: SqlExecutor,
  name: string,
  password: string | undefined,
  options: readonly string[],
): Promise<void> {
  for (const q of QUIET) await sql.query(q);
  try {
    await sql.query(createOrAlterRoleSql(name, password, options));
  } finally {
    for (const q of LOUD) await sql.query(q).catch(() => undefined);
  }
}

export async function grantRewind(sql: SqlExecutor, name: string): Promise<void> {
  for (const fn of REWIND_GRANTS) {
    await sql.query(`GRANT EXECUTE ON function ${fn} TO ${quoteIdent(name)}`);
  }
}

/** bootstrap.users options: upper-cased, LOGIN added unless LOGIN/NOLOGIN given. */
export function userOptions(options: readonly string[] | undefined): string[] {
  const opts = (options ?? []).map((o) => o.toUpperCase());
  if (!opts.includes('LOGIN') && !opts.includes('NOLOGIN')) opts.push('LOGIN');
  return opts;
}
