import { pythonStr } from './query.js';

export type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Patroni's `patch_config(config, data)`, on a copy: recursive merge where `null` deletes a key
 * and maps merge into maps. Scalars compare by their Python text, so `"10"` over `10` is not a
 * change. Returns the merged document and whether anything changed.
 */
export function patchConfig(
  config: Readonly<JsonObject>,
  patch: Readonly<JsonObject>,
): { result: JsonObject; changed: boolean } {
  let result: JsonObject = { ...config };
  let changed = false;
  for (const [name, value] of Object.entries(patch)) {
    const current = result[name];
    if (value === null) {
      if (name in result) {
        // Python's `pop(name, None) is not None`: deleting a null is no change.
        if (current !== null) changed = true;
        result = Object.fromEntries(Object.entries(result).filter(([k]) => k !== name));
      }
    } else if (!(name in result)) {
      result[name] = value;
      changed = true;
    } else if (isObject(value)) {
      if (isObject(current)) {
        const inner = patchConfig(current, value);
        result[name] = inner.result;
        changed ||= inner.changed;
      } else {
        result[name] = value;
        changed = true;
      }
    } else if (pythonStr(current) !== pythonStr(value)) {
      result[name] = value;
      changed = true;
    }
  }
  return { result, changed };
}

/** Patroni's `deep_compare`: same keys, nested maps equal, scalars equal. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  return a === b;
}
