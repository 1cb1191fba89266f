/** A parsed query string: every value of every key, as Python's `parse_qs` returns it. */
export type Query = Readonly<Record<string, readonly string[]>>;

/**
 * `parse_qs` semantics: `&`-separated, `+` is a space, percent-decoding, and blank values are
 * dropped (`?lag=` is the same as no `lag` at all).
 */
export function parseQuery(search: string): Query {
  const out: Record<string, string[]> = {};
  const text = search.startsWith('?') ? search.slice(1) : search;
  for (const [key, value] of new URLSearchParams(text)) {
    if (value === '') continue;
    (out[key] ??= []).push(value);
  }
  return out;
}

export function firstValue(query: Query, key: string): string | undefined {
  return query[key]?.[0];
}

/** Python's `str(value)`, enough for comparing tag and config scalars the way Patroni does. */
export function pythonStr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}
