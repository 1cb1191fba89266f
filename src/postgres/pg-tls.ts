/**
 * libpq's ssl and gss settings (`authentication.<user>`: sslmode, sslrootcert, sslcert, sslkey,
 * sslpassword, sslcrl, sslcrldir, gssencmode, channel_binding) turned into what node-postgres
 * takes, because Patroni's connections go through libpq and ours do not: the same settings must
 * give the same connection, or a replica secured with client certificates cannot even clone.
 *
 * Files are read for every connection, as libpq reads them, so renewed certificates apply
 * without a restart; they are never copied or altered.
 */
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { PatroniError, errorMessage } from '../shared/errors.js';

/** One way to try a connection: plain (false) or TLS with these options. */
export type SslAttempt = false | ConnectionOptions;

export interface SslPlan {
  /** Tried in order; the next one only after a failure `fallsBack` accepts. */
  readonly attempts: readonly SslAttempt[];
  /** `channel_binding=prefer|require`: SCRAM-SHA-256-PLUS when the server offers it over TLS. */
  readonly channelBinding: boolean;
}

const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
type SslMode = (typeof SSL_MODES)[number];

/** libpq's default (`prefer`), or PGSSLMODE as libpq reads it. */
function sslModeOf(libpq: Readonly<Record<string, string>>): SslMode {
  const mode = libpq['sslmode'] ?? process.env['PGSSLMODE'] ?? 'prefer';
  if (!(SSL_MODES as readonly string[]).includes(mode)) {
    throw new PatroniError('CONFIG_INVALID', `invalid sslmode value: "${mode}"`);
  }
  return mode as SslMode;
}

/** libpq's per-user default files in ~/.postgresql, used when the key is not set. */
function defaultFile(name: string): string {
  return join(process.env['HOME'] ?? homedir(), '.postgresql', name);
}

async function readSetting(key: string, path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new PatroniError(
      'CONFIG_INVALID',
      `can not read ${key} file ${path}: ${errorMessage(err)}`,
      {
        cause: err,
        details: { key, path },
      },
    );
  }
}

/** The client certificate and key libpq would send: given, or the default pair if present. */
async function clientIdentity(
  libpq: Readonly<Record<string, string>>,
): Promise<Pick<ConnectionOptions, 'cert' | 'key' | 'passphrase'>> {
  const certPath = libpq['sslcert'] ?? defaultFile('postgresql.crt');
  const keyPath = libpq['sslkey'] ?? defaultFile('postgresql.key');
  // libpq silently goes without a certificate when the (default or given) file is missing.
  if (!existsSync(certPath)) return {};
  return {
    cert: await readSetting('sslcert', certPath),
    key: await readSetting('sslkey', keyPath),
    ...(libpq['sslpassword'] === undefined ? {} : { passphrase: libpq['sslpassword'] }),
  };
}

async function revocationLists(libpq: Readonly<Record<string, string>>): Promise<Buffer[]> {
  const out: Buffer[] = [];
  const file = libpq['sslcrl'] ?? defaultFile('root.crl');
  if (existsSync(file)) out.push(await readSetting('sslcrl', file));
  const dir = libpq['sslcrldir'];
  if (dir !== undefined && dir !== '') {
    const names = await readdir(dir).catch((err: unknown) => {
      throw new PatroniError(
        'CONFIG_INVALID',
        `can not read sslcrldir ${dir}: ${errorMessage(err)}`,
      );
    });
    for (const name of names.sort()) out.push(await readSetting('sslcrldir', join(dir, name)));
  }
  return out;
}

/** TLS that checks the server: against sslrootcert (default ~/.postgresql/root.crt). */
async function verifying(
  libpq: Readonly<Record<string, string>>,
  fullCheck: boolean,
): Promise<ConnectionOptions> {
  const rootPath = libpq['sslrootcert'] ?? defaultFile('root.crt');
  if (!existsSync(rootPath)) {
    throw new PatroniError(
      'CONFIG_INVALID',
      `root certificate file "${rootPath}" does not exist (sslrootcert); either provide the file or change sslmode to disable server certificate verification`,
    );
  }
  const crl = await revocationLists(libpq);
  return {
    ...(await clientIdentity(libpq)),
    ca: await readSetting('sslrootcert', rootPath),
    ...(crl.length === 0 ? {} : { crl }),
    rejectUnauthorized: true,
    // verify-ca: any certificate the CA signed, whatever name it carries (libpq's meaning).
    ...(fullCheck ? {} : { checkServerIdentity: () => undefined }),
  };
}

/** TLS without checking the server (allow, prefer, require), still presenting our certificate. */
async function unverified(libpq: Readonly<Record<string, string>>): Promise<ConnectionOptions> {
  return { ...(await clientIdentity(libpq)), rejectUnauthorized: false };
}

/**
 * What to try for a connection to `host` with these settings. libpq never uses TLS on a Unix
 * socket, whatever sslmode says; `require` with a root certificate present behaves as verify-ca.
 */
export async function sslPlan(
  host: string,
  libpq: Readonly<Record<string, string>> = {},
): Promise<SslPlan> {
  const gss = libpq['gssencmode'];
  if (gss === 'require') {
    throw new PatroniError(
      'CONFIG_INVALID',
      'gssencmode=require is not supported: GSSAPI encryption is not available in this client',
    );
  }
  const binding = libpq['channel_binding'];
  const channelBinding = binding === 'prefer' || binding === 'require';
  if (host.startsWith('/')) return { attempts: [false], channelBinding: false };
  const mode = sslModeOf(libpq);
  switch (mode) {
    case 'disable':
      return { attempts: [false], channelBinding: false };
    case 'allow':
      return { attempts: [false, await unverified(libpq)], channelBinding };
    case 'prefer':
      return { attempts: [await unverified(libpq), false], channelBinding };
    case 'require': {
      const root = libpq['sslrootcert'] ?? defaultFile('root.crt');
      const tls = existsSync(root) ? await verifying(libpq, false) : await unverified(libpq);
      return { attempts: [tls], channelBinding };
    }
    case 'verify-ca':
      return { attempts: [await verifying(libpq, false)], channelBinding };
    case 'verify-full':
      return { attempts: [await verifying(libpq, true)], channelBinding };
  }
}

/**
 * Whether a failed attempt may be followed by the next one, as libpq's allow/prefer retry: the
 * server does not speak TLS, or it refused this kind of connection (pg_hba `hostssl` or
 * `hostnossl`, SQLSTATE class 28). Network errors and others fail the connection.
 */
export function fallsBack(err: unknown): boolean {
  if (err instanceof Error && /does not support SSL connections/.test(err.message)) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('28');
}
