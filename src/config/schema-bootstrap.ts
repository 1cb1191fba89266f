/** The `bootstrap` section (surface.md §1.8). */
import { z } from 'zod';
import { dynamicConfigSchema } from './dynamic.js';
import { bool, dict, emptyIsNone, list, optionList, scalar, section, str, text } from './fields.js';

export const bootstrapUserSchema = section({
  password: text().optional(),
  options: list(str()).optional(),
});

export const bootstrapSchema = section({
  dcs: dynamicConfigSchema.optional(),
  method: str().optional(),
  initdb: optionList().optional(),
  pg_hba: list(str(), { nonEmpty: true }).optional(),
  users: emptyIsNone(dict(bootstrapUserSchema)),
  post_bootstrap: str().optional(),
  post_init: str().optional(),
});

/** `bootstrap.<method>`: a custom bootstrap method. */
export const bootstrapMethodSchema = section({
  command: str(),
  no_params: bool().optional(),
  keep_existing_recovery_conf: bool().optional(),
  recovery_conf: dict(scalar()).optional(),
});

export type BootstrapMethodConfig = z.output<typeof bootstrapMethodSchema>;
