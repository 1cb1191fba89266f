/** The small sections of patroni.yml: log, restapi, ctl, watchdog, tags (surface.md §1.3-§1.12). */
import { z } from 'zod';
import {
  WRONG_VALUE,
  anyDict,
  bool,
  dict,
  int,
  list,
  scalar,
  section,
  str,
  text,
} from './fields.js';

const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'WARNING', 'ERROR', 'FATAL', 'CRITICAL'] as const;
export type ConfigLogLevel = (typeof LOG_LEVELS)[number];

/** Python's logging level names; we accept any case, as an operator would expect. */
function logLevel() {
  return str().transform((v, ctx): ConfigLogLevel => {
    const upper = v.toUpperCase();
    const found = LOG_LEVELS.find((l) => l === upper);
    if (found !== undefined) return found;
    ctx.issues.push({ code: 'custom', message: WRONG_VALUE, input: v });
    return z.NEVER;
  });
}

export const logSchema = section({
  type: z.enum(['plain', 'json'], { error: () => WRONG_VALUE }).optional(),
  level: logLevel().optional(),
  traceback_level: logLevel().optional(),
  format: z.union([str(), list(z.union([str(), dict(str())]))]).optional(),
  dateformat: str().optional(),
  static_fields: dict(scalar()).optional(),
  max_queue_size: int({ min: 1 }).optional(),
  dir: str().optional(),
  file_num: int({ min: 1 }).optional(),
  file_size: int({ min: 1, unit: 'B' }).optional(),
  mode: int({ min: 0, max: 511 }).optional(),
  loggers: dict(logLevel()).optional(),
  deduplicate_heartbeat_logs: bool().optional(),
});

const credentialsSchema = section({
  username: text(),
  password: text(),
});

const verifyClient = z.enum(['none', 'optional', 'required'], { error: () => WRONG_VALUE });

export const restapiSchema = section({
  listen: str(),
  connect_address: str(),
  authentication: credentialsSchema.optional(),
  certfile: str().optional(),
  keyfile: str().optional(),
  keyfile_password: text().optional(),
  cafile: str().optional(),
  ciphers: str().optional(),
  verify_client: verifyClient.optional(),
  allowlist: list(str()).optional(),
  allowlist_include_members: bool().optional(),
  http_extra_headers: dict(text()).optional(),
  https_extra_headers: dict(text()).optional(),
  request_queue_size: int({ min: 0, max: 4096 }).optional(),
  server_tokens: str().optional(),
  thread_pool_size: int({ min: 5 }).optional(),
  /** patroni-ts only: serve the web dashboard at /dashboard (Patroni 3.0.2 ignores the key). */
  dashboard: bool().optional(),
});

export const ctlSchema = section({
  authentication: credentialsSchema.optional(),
  insecure: bool().optional(),
  cacert: str().optional(),
  certfile: str().optional(),
  keyfile: str().optional(),
  keyfile_password: text().optional(),
});

export type WatchdogMode = 'off' | 'automatic' | 'required';

/** Patroni's spellings of the three modes (patroni/watchdog/base.py parse_mode). */
const WATCHDOG_MODES: Readonly<Record<string, WatchdogMode>> = {
  off: 'off',
  false: 'off',
  disable: 'off',
  disabled: 'off',
  automatic: 'automatic',
  auto: 'automatic',
  required: 'required',
  require: 'required',
};

export const watchdogSchema = section({
  mode: z
    .union([z.boolean(), z.string()], { error: () => WRONG_VALUE })
    .transform((v, ctx): WatchdogMode => {
      const mode = WATCHDOG_MODES[String(v).toLowerCase()];
      if (mode !== undefined) return mode;
      ctx.issues.push({ code: 'custom', message: WRONG_VALUE, input: v });
      return z.NEVER;
    })
    .optional(),
  device: str().optional(),
  safety_margin: int({ min: -1 }).optional(),
  driver: str().optional(),
});

export const tagsSchema = section({
  nofailover: bool().optional(),
  clonefrom: bool().optional(),
  noloadbalance: bool().optional(),
  nosync: bool().optional(),
  nostream: bool().optional(),
  replicatefrom: str().optional(),
  failover_priority: int({ min: 0 }).optional(),
  sync_priority: int({ min: 0 }).optional(),
});

/** `citus` is dropped silently when invalid (Patroni's rule), so it is only loosely typed. */
export const citusSchema = anyDict();
