/**
 * Finds keys the schema does not know, for warnings: a typo like `ttl` under `restapi` should be
 * visible, but must not stop a node that Patroni would have started.
 */
import type { z } from 'zod';
import { isRecord } from '../core/config/values.js';

interface Def {
  readonly type: string;
  readonly shape?: Readonly<Record<string, z.ZodType>>;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly element?: z.ZodType;
  readonly left?: z.ZodType;
}

function defOf(schema: z.ZodType): Def {
  // zod 4 keeps the structural definition on `_zod.def`; we only read it.
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Paths of keys to accept silently (custom method sections, whose names are user-chosen). */
export type KeyFilter = (path: readonly string[]) => boolean;

export function unknownKeys(
  schema: z.ZodType,
  value: unknown,
  allow: KeyFilter = () => false,
  path: readonly string[] = [],
): string[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
      return def.innerType === undefined ? [] : unknownKeys(def.innerType, value, allow, path);
    case 'pipe':
      return def.in === undefined ? [] : unknownKeys(def.in, value, allow, path);
    case 'intersection':
      return def.left === undefined ? [] : unknownKeys(def.left, value, allow, path);
    case 'union':
      return unionUnknown(def.options ?? [], value, allow, path);
    case 'array':
      return Array.isArray(value) && def.element !== undefined
        ? value.flatMap((item, i) =>
            unknownKeys(def.element as z.ZodType, item, allow, [...path, String(i)]),
          )
        : [];
    case 'object':
      return objectUnknown(def.shape ?? {}, value, allow, path);
    default:
      return [];
  }
}

function objectUnknown(
  shape: Readonly<Record<string, z.ZodType>>,
  value: unknown,
  allow: KeyFilter,
  path: readonly string[],
): string[] {
  if (!isRecord(value)) return [];
  const out: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const childPath = [...path, key];
    const childSchema = shape[key];
    if (childSchema === undefined) {
      if (!allow(childPath)) out.push(childPath.join('.'));
    } else {
      out.push(...unknownKeys(childSchema, child, allow, childPath));
    }
  }
  return out;
}

/** For a union, the first object option describes the mapping form. */
function unionUnknown(
  options: readonly z.ZodType[],
  value: unknown,
  allow: KeyFilter,
  path: readonly string[],
): string[] {
  for (const option of options) {
    const type = defOf(option).type;
    if ((type === 'object' && isRecord(value)) || (type === 'array' && Array.isArray(value))) {
      return unknownKeys(option, value, allow, path);
    }
  }
  return [];
}
