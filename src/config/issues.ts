/**
 * Turns schema failures into Patroni's validator lines: `<dotted.path> <value> <message>`, the
 * value printed the way Python's str() prints it (operators compare our output with Patroni's).
 */
import { isRecord } from '../core/config/values.js';
import { isSecretKey } from '../shared/log/redact.js';

export interface IssueLike {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** Python's repr() of a JSON-like value, used inside lists and dicts and for error reasons. */
export function pyRepr(value: unknown): string {
  if (typeof value !== 'string') return pyStr(value);
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  const escaped = value.replace(/\\/g, '\\\\');
  return quote + (quote === "'" ? escaped.replace(/'/g, "\\'") : escaped) + quote;
}

/** Python's str() of a JSON-like value. */
export function pyStr(value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (isRecord(value)) {
    const items = Object.entries(value).map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`);
    return `{${items.join(', ')}}`;
  }
  return typeof value === 'symbol' ? value.toString() : typeof value;
}

export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = root;
  for (const key of path) {
    if (Array.isArray(node) && typeof key === 'number') node = node[key];
    else if (isRecord(node) && typeof key === 'string') node = node[key];
    else return undefined;
  }
  return node;
}

export function dottedPath(path: readonly PropertyKey[]): string {
  return path.map((k) => String(k)).join('.');
}

/** One line per issue, in the order found, duplicates removed. */
export function formatIssues(issues: readonly IssueLike[], input: unknown): string[] {
  const lines = issues.map((issue) => {
    const last = issue.path[issue.path.length - 1];
    const value = valueAt(input, issue.path);
    // A password with a type error must still not reach the terminal or the log.
    const shown =
      typeof last === 'string' && isSecretKey(last) && value !== undefined
        ? '******'
        : pyStr(value);
    return `${dottedPath(issue.path)} ${shown} ${issue.message}`;
  });
  return [...new Set(lines)];
}
