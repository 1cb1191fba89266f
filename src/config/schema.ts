/**
 * The schema of patroni.yml (surface.md §1). One zod schema; its output type `PatroniConfig` is
 * what the rest of the program reads. Unknown keys are kept and reported as warnings
 * (unknown-keys.ts); invalid values fail with Patroni's validator wording (fields.ts).
 */
import { z } from 'zod';
import type { LocalConfig } from '../core/config/types.js';
import { bootstrapMethodSchema, bootstrapSchema } from './schema-bootstrap.js';
import {
  DCS_NAMES,
  consulSchema,
  etcdSchema,
  exhibitorSchema,
  kubernetesSchema,
  raftSchema,
  zookeeperSchema,
} from './schema-dcs.js';
import { postgresqlSchema, replicaMethodSchema } from './schema-postgresql.js';
import {
  citusSchema,
  ctlSchema,
  logSchema,
  restapiSchema,
  tagsSchema,
  watchdogSchema,
} from './schema-sections.js';
import { NOT_DEFINED, section, str } from './fields.js';

/** Keys in the order Patroni's validator reports them (name, scope, restapi, bootstrap, DCS, ...). */
const baseSchema = section({
  name: str(),
  scope: str(),
  restapi: restapiSchema,
  bootstrap: bootstrapSchema.optional(),
  consul: consulSchema.optional(),
  etcd: etcdSchema.optional(),
  etcd3: etcdSchema.optional(),
  exhibitor: exhibitorSchema.optional(),
  kubernetes: kubernetesSchema.optional(),
  raft: raftSchema.optional(),
  zookeeper: zookeeperSchema.optional(),
  citus: citusSchema.optional(),
  postgresql: postgresqlSchema,
  watchdog: watchdogSchema.optional(),
  tags: tagsSchema.optional(),
  namespace: str().optional(),
  log: logSchema.optional(),
  ctl: ctlSchema.optional(),
});

type Base = z.output<typeof baseSchema>;

/** Methods whose sections live beside the built-in keys and are checked here. */
function checkMethodSections(v: Base, ctx: z.RefinementCtx): void {
  const method = v.bootstrap?.method;
  if (method !== undefined && method !== 'initdb') {
    const parsed = bootstrapMethodSchema.safeParse(v.bootstrap?.[method]);
    for (const issue of parsed.error?.issues ?? []) {
      ctx.addIssue({ ...issue, path: ['bootstrap', method, ...issue.path] });
    }
  }
  const pg = v.postgresql;
  for (const m of pg.create_replica_methods ?? pg.create_replica_method ?? []) {
    if (m === 'basebackup' || pg[m] === undefined) continue;
    const parsed = replicaMethodSchema.safeParse(pg[m]);
    for (const issue of parsed.error?.issues ?? []) {
      ctx.addIssue({ ...issue, path: ['postgresql', m, ...issue.path] });
    }
  }
}

/** "exactly one DCS" needs only the raw keys, so it is also checked when other values are bad. */
export function missingDcsLines(raw: Readonly<Record<string, unknown>>): string[] {
  return DCS_NAMES.some((name) => raw[name] !== undefined)
    ? []
    : DCS_NAMES.map((name) => `${name}  ${NOT_DEFINED}`);
}

export const patroniConfigSchema = baseSchema.superRefine((v, ctx) => {
  if (!DCS_NAMES.some((name) => v[name] !== undefined)) {
    for (const name of DCS_NAMES) {
      ctx.addIssue({ code: 'custom', message: NOT_DEFINED, path: [name], input: undefined });
    }
  }
  checkMethodSections(v, ctx);
});

/** patroni.yml after parsing: Patroni's key names, lenient values normalised. */
export type PatroniConfig = z.output<typeof patroniConfigSchema>;

// Compile-time proof that the parsed config is what the pure merge expects.
export const asLocalConfig = (config: PatroniConfig): LocalConfig => config;
