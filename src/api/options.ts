import { PatroniError } from '../shared/errors.js';

export type VerifyClient = 'none' | 'optional' | 'required';

/**
 * The `restapi` section of patroni.yml, camelCased (`keyfile_password` -> `keyfilePassword`).
 * `certfile` switches the server to HTTPS.
 */
export interface RestApiOptions {
  /** `host:port`; host `''` or `*` means every interface. */
  readonly listen: string;
  readonly connectAddress?: string;
  readonly authentication?: { readonly username: string; readonly password: string };
  readonly certfile?: string;
  readonly keyfile?: string;
  readonly keyfilePassword?: string;
  readonly cafile?: string;
  readonly ciphers?: string;
  readonly verifyClient?: VerifyClient;
  /** Hosts, IPs or CIDRs allowed to call unsafe endpoints. */
  readonly allowlist?: readonly string[];
  readonly allowlistIncludeMembers?: boolean;
  readonly httpExtraHeaders?: Readonly<Record<string, string>>;
  /** Added on top of httpExtraHeaders when TLS is on. */
  readonly httpsExtraHeaders?: Readonly<Record<string, string>>;
  /** Listen backlog. */
  readonly requestQueueSize?: number;
  /** patroni-ts only: serve the web dashboard at /dashboard, behind the same access checks. */
  readonly dashboard?: boolean;
}

function bad(key: string, why: string): PatroniError {
  return new PatroniError('CONFIG_INVALID', `restapi.${key}: ${why}`, { details: { key } });
}

function optString(raw: Record<string, unknown>, key: string): string | undefined {
  const v = raw[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw bad(key, 'expected a string');
  return v;
}

function headerMap(raw: Record<string, unknown>, key: string): Record<string, string> | undefined {
  const v = raw[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw bad(key, 'expected a map of header: value');
  const out = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
  for (const [name, value] of Object.entries(out)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || /[\r\n\0]/.test(value)) {
      throw bad(`${key}.${name}`, 'not a valid HTTP header name and value');
    }
  }
  return out;
}

/** Validates a raw `restapi` section; errors name the offending key, never a stack. */
export function parseRestApiOptions(raw: unknown): RestApiOptions {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new PatroniError('CONFIG_INVALID', 'restapi: expected a section with at least "listen"');
  }
  const r = raw as Record<string, unknown>;
  const listen = optString(r, 'listen');
  if (listen === undefined) throw bad('listen', 'is required (<HOST>:<PORT>)');
  splitHostPort(listen);
  const out: { -readonly [K in keyof RestApiOptions]: RestApiOptions[K] } = { listen };
  const strings = [
    ['connect_address', 'connectAddress'],
    ['certfile', 'certfile'],
    ['keyfile', 'keyfile'],
    ['keyfile_password', 'keyfilePassword'],
    ['cafile', 'cafile'],
    ['ciphers', 'ciphers'],
  ] as const;
  for (const [yamlKey, key] of strings) {
    const v = optString(r, yamlKey);
    if (v !== undefined) out[key] = v;
  }
  const auth = r['authentication'];
  if (auth !== undefined && auth !== null) {
    const a = auth as Record<string, unknown>;
    if (typeof a['username'] !== 'string' || typeof a['password'] !== 'string') {
      throw bad('authentication', 'both username and password are required');
    }
    out.authentication = { username: a['username'], password: a['password'] };
  }
  const verify = optString(r, 'verify_client')?.toLowerCase();
  if (verify !== undefined) {
    if (verify !== 'none' && verify !== 'optional' && verify !== 'required') {
      throw bad('verify_client', 'expected none, optional or required');
    }
    out.verifyClient = verify;
  }
  const allowlist = r['allowlist'];
  if (allowlist !== undefined && allowlist !== null) {
    if (!Array.isArray(allowlist)) throw bad('allowlist', 'expected a list of hosts, IPs or CIDRs');
    out.allowlist = allowlist.map((x) => String(x));
  }
  if (r['allowlist_include_members'] !== undefined) {
    out.allowlistIncludeMembers = r['allowlist_include_members'] === true;
  }
  if (r['dashboard'] !== undefined && r['dashboard'] !== null) {
    // The schema has already turned `on`/`yes`/`'true'` into a boolean.
    if (typeof r['dashboard'] !== 'boolean') throw bad('dashboard', 'expected a boolean');
    out.dashboard = r['dashboard'];
  }
  const http = headerMap(r, 'http_extra_headers');
  if (http !== undefined) out.httpExtraHeaders = http;
  const https = headerMap(r, 'https_extra_headers');
  if (https !== undefined) out.httpsExtraHeaders = https;
  const queue = r['request_queue_size'];
  if (queue !== undefined) {
    if (typeof queue !== 'number' || !Number.isInteger(queue) || queue < 0 || queue > 4096) {
      throw bad('request_queue_size', 'expected an integer between 0 and 4096');
    }
    out.requestQueueSize = queue;
  }
  return out;
}

/** `host:port`, `[v6]:port`, `*:port`, `:port`; host null means every interface. */
export function splitHostPort(listen: string): { host: string | null; port: number } {
  const m = /^(?:\[([^\]]*)\]|([^:]*|.*(?=:\d+$))):(\d+)$/.exec(listen.trim());
  const port = Number(m?.[3]);
  if (m === null || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new PatroniError(
      'CONFIG_INVALID',
      `Invalid "restapi" config: expected <HOST>:<PORT> for "listen", but got "${listen}"`,
      { details: { key: 'listen' } },
    );
  }
  const host = m[1] ?? m[2] ?? '';
  return { host: host === '' || host === '*' ? null : host, port };
}
