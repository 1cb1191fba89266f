/** One `~/.pgpass` entry; `*` matches any value. */
export interface PgpassEntry {
  readonly host: string;
  readonly port: string | number;
  readonly database?: string;
  readonly user: string;
  readonly password: string;
}

/** `:` and `\` are escaped with a backslash, as libpq expects. */
function escapeField(value: string): string {
  return value.replace(/([:\\])/g, '\\$1');
}

/**
 * The pgpass file Patroni writes for pg_basebackup, pg_rewind, post_bootstrap and
 * `primary_conninfo passfile=`: one line per host of a comma-separated host list.
 */
export function renderPgpass(entries: readonly PgpassEntry[]): string {
  const lines: string[] = [];
  for (const e of entries) {
    for (const host of e.host.split(',')) {
      const fields = [host, String(e.port), e.database ?? '*', e.user, e.password];
      lines.push(fields.map((f) => (f === '*' ? f : escapeField(f))).join(':'));
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
