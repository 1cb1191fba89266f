/**
 * Building blocks of the patroni.yml schema. Each field accepts what Patroni accepts (booleans as
 * `on`/`yes`, integers as strings with units) and, when it cannot, fails with Patroni's validator
 * wording (patroni/validator.py), so `--validate-config` prints `<path> <value> <message>` lines
 * operators already know.
 */
import { z } from 'zod';
import { isRecord, parseBool, parseIntValue, parseNumber } from '../core/config/values.js';

/**
 * Patroni 3.0.2 spells the integer type "and integer" (a typo operators may grep for); we keep
 * the 3.0.2 wording because that is the version we replace.
 */
export const TYPE_NAMES = {
  string: 'a string',
  integer: 'and integer',
  number: 'a number',
  boolean: 'a boolean',
  array: 'an array',
  dict: 'a dictionary',
} as const;

export const NOT_DEFINED = 'is not defined.';
export const WRONG_VALUE = "didn't pass validation: Wrong value";

type TypeName = (typeof TYPE_NAMES)[keyof typeof TYPE_NAMES];

function typeError(name: TypeName) {
  return (issue: { input?: unknown }): string =>
    issue.input === undefined ? NOT_DEFINED : `is not ${name}`;
}

/** A message with the value's position, for `ctx.issues.push`. */
function fail(ctx: { issues: unknown[] }, input: unknown, message: string): never {
  ctx.issues.push({ code: 'custom', message, input });
  return z.NEVER;
}

export function str() {
  return z.string({ error: typeError(TYPE_NAMES.string) });
}

/** Passwords and user names: YAML turns `12345` into a number; libpq only sees text anyway. */
export function text() {
  return z
    .union([z.string(), z.number()], { error: typeError(TYPE_NAMES.string) })
    .transform((v) => String(v));
}

export function bool() {
  return z
    .union([z.boolean(), z.string(), z.number()], { error: typeError(TYPE_NAMES.boolean) })
    .transform((v, ctx): boolean => {
      const parsed = parseBool(v);
      return parsed ?? fail(ctx, v, `is not ${TYPE_NAMES.boolean}`);
    });
}

export interface IntOptions {
  readonly min?: number;
  readonly max?: number;
  /** PostgreSQL unit the value is expressed in when given with a unit (`s`, `MB`, ...). */
  readonly unit?: string;
}

export function int(options: IntOptions = {}) {
  return z
    .union([z.number(), z.string()], { error: typeError(TYPE_NAMES.integer) })
    .transform((v, ctx): number => {
      const parsed = parseIntValue(v, options.unit);
      if (parsed === undefined || (typeof v === 'number' && !Number.isInteger(v))) {
        return fail(ctx, v, `is not ${TYPE_NAMES.integer}`);
      }
      if (options.min !== undefined && parsed < options.min) return fail(ctx, v, WRONG_VALUE);
      if (options.max !== undefined && parsed > options.max) return fail(ctx, v, WRONG_VALUE);
      return parsed;
    });
}

export function num() {
  return z
    .union([z.number(), z.string()], { error: typeError(TYPE_NAMES.number) })
    .transform((v, ctx): number => parseNumber(v) ?? fail(ctx, v, `is not ${TYPE_NAMES.number}`));
}

/** A list; Patroni's validator rejects empty lists where it validates one. */
export function list<T extends z.ZodType>(item: T, options: { nonEmpty?: boolean } = {}) {
  return z.array(item, { error: typeError(TYPE_NAMES.array) }).superRefine((v, ctx) => {
    if (options.nonEmpty === true && v.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'is an empty list', input: v });
    }
  });
}

/** A mapping whose keys are listed; unknown keys are kept (and reported as warnings elsewhere). */
export function section<T extends z.ZodRawShape>(shape: T) {
  return z.looseObject(shape, { error: typeError(TYPE_NAMES.dict) });
}

/** A mapping of free-form keys (parameters, tags, headers). */
export function dict<T extends z.ZodType>(value: T) {
  return z.record(z.string(), value, { error: typeError(TYPE_NAMES.dict) });
}

/**
 * An optional key whose empty value (`users:` with nothing under it, YAML null) means "none":
 * Patroni 3.0.2 reads such keys with `value or {}` and its validator does not check them, so
 * an empty one is taken as absent rather than reported.
 */
export function emptyIsNone<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === null ? undefined : v), schema.optional());
}

/** Any mapping at all, for sections we only type-check loosely. */
export function anyDict() {
  return dict(z.unknown());
}

/** A scalar as PostgreSQL GUCs and tag values take them. */
export function scalar() {
  return z.union([z.string(), z.number(), z.boolean()], {
    error: (issue) =>
      issue.input === undefined ? NOT_DEFINED : "didn't pass validation: is not a scalar",
  });
}

/** A comma-separated string or a list of strings, normalised to a list. */
export function stringOrList(options: { nonEmpty?: boolean } = {}) {
  return z
    .union([z.string(), z.array(z.string())], { error: typeError(TYPE_NAMES.string) })
    .transform((v, ctx): string[] => {
      const items = (typeof v === 'string' ? v.split(',') : v)
        .map((s) => s.trim())
        .filter((s) => s !== '');
      if (options.nonEmpty === true && items.length === 0) {
        return fail(ctx, v, 'is an empty list');
      }
      return items;
    });
}

/** `initdb` / `basebackup` options: strings and one-key maps, or a single map. */
export function optionList() {
  const item = z.union([z.string(), anyDict()], { error: typeError(TYPE_NAMES.string) });
  return z
    .union([z.array(item), anyDict()], { error: typeError(TYPE_NAMES.array) })
    .superRefine((v, ctx) => {
      if (!Array.isArray(v)) return;
      v.forEach((entry, i) => {
        if (isRecord(entry) && Object.keys(entry).length !== 1) {
          ctx.addIssue({
            code: 'custom',
            message: "didn't pass validation: must be a string or a map with exactly one key",
            path: [i],
            input: entry,
          });
        }
      });
    });
}
