/**
 * Python's `json.dumps(value)` with its defaults (`, ` and `: ` separators, ensure_ascii), which is
 * what patronictl 3.0.2 prints for `-f json` and writes to the `config` key on `edit-config`.
 */
export function pyJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return pyFloatRepr(value, 'json');
  if (typeof value === 'string') return asciiOnly(JSON.stringify(value));
  if (Array.isArray(value)) return `[${value.map((v) => pyJsonDumps(v)).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(
      ([, v]) => v !== undefined,
    );
    return `{${entries.map(([k, v]) => `${asciiOnly(JSON.stringify(k))}: ${pyJsonDumps(v)}`).join(', ')}}`;
  }
  return 'null'; // functions, symbols, bigint: not JSON
}

/** ensure_ascii: every code unit above 0x7f becomes `\uXXXX` (lowercase hex, as Python). */
function asciiOnly(json: string): string {
  return json.replace(
    /[\u0080-\uffff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Python's `repr(float)`/`int` text for a JS number. JSON cannot tell `1.0` from `1` once parsed, so
 * integral values print as ints. Non-integers use Python's switch to exponent form (exp < -4 or
 * >= 16) with a two-digit signed exponent. `yaml` adds PyYAML's `.0` before a bare exponent.
 */
export function pyFloatRepr(value: number, flavour: 'json' | 'yaml'): string {
  if (Number.isNaN(value)) return flavour === 'json' ? 'NaN' : '.nan';
  if (!Number.isFinite(value)) {
    if (flavour === 'json') return value > 0 ? 'Infinity' : '-Infinity';
    return value > 0 ? '.inf' : '-.inf';
  }
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return String(value);
  const [mantissa = '0', expText = '0'] = value.toExponential().split('e');
  const exp = Number(expText);
  let text: string;
  if (exp >= -4 && exp < 16) {
    text = positional(mantissa, exp);
  } else {
    const sign = exp < 0 ? '-' : '+';
    text = `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (flavour === 'yaml' && !text.includes('.') && text.includes('e')) {
    text = text.replace('e', '.0e');
  }
  return text;
}

function positional(mantissa: string, exp: number): string {
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  let out: string;
  if (exp < 0) {
    out = `0.${'0'.repeat(-exp - 1)}${digits}`;
  } else if (digits.length > exp + 1) {
    out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  } else {
    out = `${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  }
  return negative ? `-${out}` : out;
}
