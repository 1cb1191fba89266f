/** The local `postgresql` section (surface.md §1.9, §1.10). */
import { z } from 'zod';
import {
  WRONG_VALUE,
  bool,
  dict,
  int,
  list,
  optionList,
  scalar,
  section,
  str,
  stringOrList,
  text,
} from './fields.js';

/**
 * Connection keys Patroni keeps in `authentication.<user>` (surface.md §1.1 item 8); anything
 * else is dropped, as Patroni drops it, so it can never leak into a conninfo string.
 */
export const AUTH_KEYS = [
  'username',
  'password',
  'sslmode',
  'sslcert',
  'sslkey',
  'sslpassword',
  'sslrootcert',
  'sslcrl',
  'sslcrldir',
  'gssencmode',
  'channel_binding',
  'sslnegotiation',
] as const;

export const userSchema = z
  .object(
    {
      username: text(),
      password: text().optional(),
      sslmode: str().optional(),
      sslcert: str().optional(),
      sslkey: str().optional(),
      sslpassword: text().optional(),
      sslrootcert: str().optional(),
      sslcrl: str().optional(),
      sslcrldir: str().optional(),
      gssencmode: str().optional(),
      channel_binding: str().optional(),
      sslnegotiation: str().optional(),
    },
    {
      error: (issue) => (issue.input === undefined ? 'is not defined.' : 'is not a dictionary'),
    },
  )
  .strip();

export const PG_PROGRAMS = [
  'pg_ctl',
  'initdb',
  'pg_controldata',
  'pg_basebackup',
  'postgres',
  'pg_isready',
  'pg_rewind',
] as const;

const CALLBACKS = ['on_start', 'on_stop', 'on_restart', 'on_reload', 'on_role_change'] as const;

export const postgresqlSchema = section({
  listen: str(),
  connect_address: str(),
  proxy_address: str().optional(),
  data_dir: str(),
  config_dir: str().optional(),
  bin_dir: str().optional(),
  bin_name: section(
    Object.fromEntries(PG_PROGRAMS.map((p) => [p, str().optional()])) as Record<
      (typeof PG_PROGRAMS)[number],
      z.ZodOptional<z.ZodString>
    >,
  ).optional(),
  pgpass: str().optional(),
  authentication: section({
    superuser: userSchema,
    replication: userSchema,
    rewind: userSchema.optional(),
  }),
  parameters: dict(scalar().nullable())
    .superRefine((v, ctx) => {
      const dirs = v['unix_socket_directories'];
      if (dirs !== undefined && (typeof dirs !== 'string' || dirs === '')) {
        ctx.addIssue({
          code: 'custom',
          message: WRONG_VALUE,
          path: ['unix_socket_directories'],
          input: dirs,
        });
      }
    })
    .optional(),
  pg_hba: list(str(), { nonEmpty: true }).optional(),
  pg_ident: list(str(), { nonEmpty: true }).optional(),
  pg_ctl_timeout: int({ min: 0 }).optional(),
  use_pg_rewind: bool().optional(),
  use_slots: bool().optional(),
  callbacks: section(
    Object.fromEntries(CALLBACKS.map((c) => [c, str().optional()])) as Record<
      (typeof CALLBACKS)[number],
      z.ZodOptional<z.ZodString>
    >,
  ).optional(),
  pre_promote: str().optional(),
  before_stop: str().optional(),
  create_replica_methods: stringOrList().optional(),
  /** Legacy singular spelling, still honoured. */
  create_replica_method: stringOrList().optional(),
  basebackup: optionList().optional(),
  remove_data_directory_on_rewind_failure: bool().optional(),
  remove_data_directory_on_diverged_timelines: bool().optional(),
  recovery_conf: dict(scalar()).optional(),
  custom_conf: str().optional(),
  use_unix_socket: bool().optional(),
  use_unix_socket_repl: bool().optional(),
  krbsrvname: str().optional(),
  config_base_name: str().optional(),
  database: str().optional(),
});

/** `postgresql.<method>`: a custom replica creation method. */
export const replicaMethodSchema = section({
  command: str(),
  no_leader: bool().optional(),
  no_master: bool().optional(),
  keep_data: bool().optional(),
  no_params: bool().optional(),
});
