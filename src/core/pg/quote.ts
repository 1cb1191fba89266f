import type { PgParamValue } from './options.js';

/** A postgresql.conf value: single-quoted, with `'` and `\` doubled (Patroni's `quote_ident`). */
export function quoteConfValue(value: PgParamValue): string {
  const text = confText(value);
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** Booleans as PostgreSQL writes them, numbers verbatim. */
export function confText(value: PgParamValue): string {
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return String(value);
}

/** A libpq conninfo value: bare when safe, else single-quoted with `\` escapes. */
export function quoteConninfoValue(value: string): string {
  if (value !== '' && !/[\s'\\]/.test(value)) return value;
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** An SQL string literal. */
export function quoteLiteral(value: string): string {
  const escaped = value.replace(/'/g, "''");
  return value.includes('\\') ? `E'${escaped.replace(/\\/g, '\\\\')}'` : `'${escaped}'`;
}

/** An SQL identifier, always quoted. */
export function quoteIdent(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}
