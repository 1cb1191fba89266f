/** Small JSON helpers shared by the codec files: Python's `json.loads` leniency, typed. */

export type JsonObject = Readonly<Record<string, unknown>>;

/** Parses JSON, returning undefined instead of throwing (values come from other nodes). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object a value holds, or null when it is not JSON or not an object. */
export function parseObject(text: string): JsonObject | null {
  const value = parseJson(text);
  return isObject(value) ? value : null;
}

/** An integer as Python's `int()` would take it from JSON: numbers and decimal strings. */
export function toInt(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value.trim());
  return null;
}

export function toStr(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Compact JSON, as Python's `json.dumps(..., separators=(',', ':'))` writes it. */
export function compact(value: unknown): string {
  return JSON.stringify(value);
}
