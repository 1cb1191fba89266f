/**
 * Patroni's `parse_int(value, base_unit)`: an integer with an optional PostgreSQL-style unit
 * (`16MB`, `1024kB`, `30s`, `5min`), converted to the base unit. Units are case-sensitive, as in
 * PostgreSQL. Anything else gives null, which callers treat as "not given".
 */
export type BaseUnit = 'B' | 's';

const MULTIPLIERS: Readonly<Record<BaseUnit, Readonly<Record<string, number>>>> = {
  B: { B: 1, kB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 },
  s: { ms: 1 / 1000, s: 1, min: 60, h: 3600, d: 86400 },
};

export function parseIntWithUnit(value: unknown, base: BaseUnit): number | null {
  if (typeof value === 'number') return Number.isInteger(value) ? value : null;
  if (typeof value !== 'string') return null;
  const parsed = strtol(value.trim());
  if (parsed === null) return null;
  const unit = parsed.rest.trim();
  if (unit === '') return parsed.value;
  const multiplier = MULTIPLIERS[base][unit];
  return multiplier === undefined ? null : Math.round(parsed.value * multiplier);
}

/** C's strtol with base 0, as Patroni uses it: `0x` is hex and a leading `0` is octal. */
function strtol(text: string): { value: number; rest: string } | null {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)(.*)$/s.exec(text);
  if (m === null) return null;
  const [, sign = '', digits = '', rest = ''] = m;
  let value: number;
  if (/^0[xX]/.test(digits)) value = parseInt(digits.slice(2), 16);
  else if (digits.startsWith('0')) value = digits.length === 1 ? 0 : parseInt(digits.slice(1), 8);
  else value = parseInt(digits, 10);
  return { value: sign === '-' ? -value : value, rest };
}
