/**
 * Patroni's lenient value readers (patroni/utils.py parse_bool / parse_int). Operators write
 * `on`, `yes`, `'1'`, `16MB`, `0x10` and Patroni accepts them, so we must too. Pure functions:
 * both the config loader and the merge of the dynamic layer use them.
 */

const TRUE_WORDS = new Set(['on', 'true', 'yes', '1']);
const FALSE_WORDS = new Set(['off', 'false', 'no', '0']);

/** true/false, or undefined when the value is not a recognisable boolean. */
export function parseBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const word = String(value).trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return undefined;
}

/** PostgreSQL's memory units, as multiples of one byte. */
const MEMORY_UNITS: Readonly<Record<string, number>> = {
  B: 1,
  kB: 1024,
  MB: 1024 ** 2,
  GB: 1024 ** 3,
  TB: 1024 ** 4,
};

/** PostgreSQL's time units, as multiples of one microsecond. */
const TIME_UNITS: Readonly<Record<string, number>> = {
  us: 1,
  ms: 1000,
  s: 1000 ** 2,
  min: 60 * 1000 ** 2,
  h: 3600 * 1000 ** 2,
  d: 86400 * 1000 ** 2,
};

function unitTable(unit: string): Readonly<Record<string, number>> | undefined {
  if (unit in MEMORY_UNITS) return MEMORY_UNITS;
  if (unit in TIME_UNITS) return TIME_UNITS;
  return undefined;
}

/** strtol-like: decimal, 0x hex, leading-0 octal (C's rules, which Patroni follows). */
function parseIntegerText(text: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (m === null) return undefined;
  const sign = m[1] === '-' ? -1 : 1;
  const digits = m[2] ?? '';
  if (/^0[xX]/.test(digits)) return sign * parseInt(digits.slice(2), 16);
  if (digits.length > 1 && digits.startsWith('0')) return sign * parseInt(digits.slice(1), 8);
  return sign * parseInt(digits, 10);
}

/**
 * An integer from a number or a string, optionally with a PostgreSQL unit converted to
 * `baseUnit` (e.g. `parseInt('16MB', 'MB') === 16`, `parseInt('1min', 's') === 60`).
 * Fractions are rounded like Patroni does; undefined when not a valid integer.
 */
export function parseIntValue(value: unknown, baseUnit?: string): number | undefined {
  if (typeof value === 'boolean') return undefined;
  if (typeof value === 'number') {
    return Number.isFinite(value) ? Math.round(value) : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const plain = parseIntegerText(text);
  if (plain !== undefined) return plain;
  const m = /^([+-]?\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(text);
  if (m === null) return undefined;
  const amount = Number(m[1]);
  const unit = m[2] ?? '';
  if (unit === '') return Math.round(amount);
  if (baseUnit === undefined) return undefined;
  const table = unitTable(unit);
  const base = table?.[baseUnit];
  const factor = table?.[unit];
  if (base === undefined || factor === undefined) return undefined;
  return Math.round((amount * factor) / base);
}

/** A finite number from a number or numeric string. */
export function parseNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const n = Number(value.trim());
  return Number.isFinite(n) ? n : undefined;
}

/** A plain JSON-like mapping (not an array, not null). */
export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
