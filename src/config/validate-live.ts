/**
 * The checks `patroni --validate-config` makes against the machine (surface.md §1.16, Patroni's
 * validator.py): listen ports must be free, DCS endpoints reachable, connect addresses not
 * loopback, data_dir a plausible PGDATA of the installed major, bin_dir holding the programs.
 * Reasons Patroni raises as ConfigParseError are printed quoted, as Patroni 3.0.2 prints them.
 */
import { canConnect } from '../shared/net.js';
import { execFile } from 'node:child_process';
import { access, constants, readFile, readdir, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { isRecord } from '../core/config/values.js';
import { pyRepr, pyStr } from './issues.js';

export interface LiveCheckOptions {
  /** `--ignore-listen-port`: do not fail when a listen port is busy. */
  readonly ignoreListenPort?: boolean;
  /** TCP connect timeout for reachability checks, ms (default 3000). */
  readonly connectTimeoutMs?: number;
  /** PATH to search executables in when bin_dir is empty (the caller's environment). */
  readonly path?: string;
}

const BANNED_CONNECT_HOSTS = ['127.0.0.1', '0.0.0.0', '*', '::1', 'localhost'];
const BINARIES = ['pg_ctl', 'initdb', 'pg_controldata', 'pg_basebackup', 'postgres', 'pg_isready'];

class ParseFailure extends Error {}

/** `host:port` -> parts, as Patroni's split_host_port (IPv6 in brackets allowed). */
export function splitHostPort(value: string, defaultPort: number): { host: string; port: number } {
  const i = value.lastIndexOf(':');
  const hasPort = i >= 0 && !value.slice(i + 1).includes(']');
  const host = (hasPort ? value.slice(0, i) : value).replace(/^\[(.*)\]$/, '$1');
  const portText = hasPort ? value.slice(i + 1) : '';
  const port = portText === '' ? defaultPort : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ParseFailure('contains a wrong value');
  return { host, port };
}

function line(path: string, value: unknown, reason: string, quoted = true): string {
  return `${path} ${pyStr(value)} didn't pass validation: ${quoted ? pyRepr(reason) : reason}`;
}

async function checkListen(
  path: string,
  value: unknown,
  multipleHosts: boolean,
  o: LiveCheckOptions,
): Promise<string[]> {
  if (typeof value !== 'string') return [];
  let parsed: { host: string; port: number };
  try {
    parsed = splitHostPort(value, 1);
  } catch {
    return [line(path, value, 'contains a wrong value')];
  }
  const hosts = multipleHosts ? parsed.host.split(',').map((h) => h.trim()) : [parsed.host];
  if (hosts.includes('*') && hosts.length !== 1) return [line(path, value, "expecting '*' alone")];
  if (o.ignoreListenPort === true) return [];
  for (const host of hosts) {
    const target = ['*', '', '0.0.0.0'].includes(host) ? '127.0.0.1' : host === '::' ? '::1' : host;
    if (await canConnect(target, parsed.port, o.connectTimeoutMs ?? 3000)) {
      return [line(path, value, `Port ${parsed.port} is already in use.`)];
    }
  }
  return [];
}

async function checkReachable(
  path: string,
  value: unknown,
  o: LiveCheckOptions,
): Promise<string[]> {
  if (typeof value !== 'string') return [];
  const problems: string[] = [];
  for (const item of value.split(',').map((s) => s.trim())) {
    let parsed: { host: string; port: number };
    try {
      parsed = splitHostPort(item, 1);
    } catch {
      return [line(path, value, 'contains a wrong value')];
    }
    if (!(await canConnect(parsed.host, parsed.port, o.connectTimeoutMs ?? 3000))) {
      problems.push(line(path, value, `${item} is not reachable`));
      break;
    }
  }
  return problems;
}

function checkConnectAddress(path: string, value: unknown): string[] {
  if (typeof value !== 'string') return [];
  try {
    const { host } = splitHostPort(value, 1);
    if (BANNED_CONNECT_HOSTS.includes(host)) {
      return [
        line(path, value, 'must not contain "127.0.0.1", "0.0.0.0", "*", "::1", "localhost"'),
      ];
    }
  } catch {
    return [line(path, value, 'contains a wrong value')];
  }
  return [];
}

async function dcsChecks(
  raw: Readonly<Record<string, unknown>>,
  o: LiveCheckOptions,
): Promise<string[]> {
  const out: string[] = [];
  for (const name of ['etcd', 'etcd3', 'consul', 'zookeeper']) {
    const section = raw[name];
    if (!isRecord(section)) continue;
    if (name !== 'zookeeper')
      out.push(...(await checkReachable(`${name}.host`, section['host'], o)));
    const hosts = section['hosts'];
    if (typeof hosts === 'string') out.push(...(await checkReachable(`${name}.hosts`, hosts, o)));
    if (Array.isArray(hosts)) {
      for (const [i, h] of hosts.entries()) {
        out.push(...(await checkReachable(`${name}.hosts.${i}`, h, o)));
      }
    }
  }
  return out;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

async function which(program: string, dirs: readonly string[]): Promise<boolean> {
  for (const dir of dirs) if (await isExecutable(join(dir, program))) return true;
  return false;
}

async function checkBinDir(
  binDir: string,
  binNames: Readonly<Record<string, unknown>>,
  o: LiveCheckOptions,
): Promise<string[]> {
  const path = 'postgresql.bin_dir';
  if (binDir !== '') {
    const info = await stat(binDir).catch(() => null);
    if (info === null) return [`${path}  Directory '${binDir}' does not exist.`];
    if (!info.isDirectory()) return [`${path}  '${binDir}' is not a directory.`];
  }
  const dirs = binDir !== '' ? [binDir] : (o.path ?? '').split(delimiter);
  const out: string[] = [];
  for (const binary of BINARIES) {
    const renamed = binNames[binary];
    const program = typeof renamed === 'string' && renamed !== '' ? renamed : binary;
    if (await which(program, dirs)) continue;
    // 3.0.2's wording for a directory; newer Patroni's for PATH (3.0.2 had no PATH lookup).
    out.push(
      binDir === ''
        ? `${path}  does not contain '${program}' in '$PATH'`
        : `${path}  '${binDir}' does not contain '${program}'`,
    );
  }
  return out;
}

function postgresMajor(binDir: string, name: string): Promise<string | null> {
  const binary = binDir === '' ? name : join(binDir, name);
  return new Promise((resolve) => {
    execFile(binary, ['--version'], { timeout: 10_000 }, (err, stdout) => {
      const m = err === null ? /^\S+ \S+ (\d+)(?:\.(\d+))?/.exec(stdout) : null;
      if (m === null) {
        resolve(null);
        return;
      }
      const major = Number(m[1]);
      resolve(major < 10 ? `${m[1]}.${m[2] ?? '0'}` : String(major));
    });
  });
}

async function checkDataDir(value: unknown, binDir: string, postgres: string): Promise<string[]> {
  const path = 'postgresql.data_dir';
  if (typeof value !== 'string') return [];
  if (value === '') return [line(path, value, 'is an empty string')];
  const info = await stat(value).catch(() => null);
  if (info === null) return [];
  if (!info.isDirectory()) return [line(path, value, 'is not a directory')];
  const hasControl = await stat(join(value, 'global', 'pg_control')).then(
    () => true,
    () => false,
  );
  if (!hasControl && (await readdir(value)).length === 0) return [];
  const version = await readFile(join(value, 'PG_VERSION'), 'utf8').catch(() => null);
  if (version === null) return [line(path, value, "doesn't look like a valid data directory")];
  const pgVersion = version.trim();
  const walDir = Number(pgVersion) >= 10 ? 'pg_wal' : 'pg_xlog';
  const hasWal = await stat(join(value, walDir)).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!hasWal) {
    return [
      line(
        path,
        value,
        `data dir for the cluster is not empty, but doesn't contain "${walDir}" directory`,
      ),
    ];
  }
  const major = await postgresMajor(binDir, postgres);
  if (major !== null && major !== pgVersion) {
    return [
      line(
        path,
        value,
        `data_dir directory postgresql version (${pgVersion}) doesn't match with 'postgres --version' output (${major})`,
      ),
    ];
  }
  return [];
}

/** Every live problem, in Patroni's order of sections. */
export async function liveChecks(
  raw: Readonly<Record<string, unknown>>,
  options: LiveCheckOptions = {},
): Promise<string[]> {
  const restapi = isRecord(raw['restapi']) ? raw['restapi'] : {};
  const pg = isRecord(raw['postgresql']) ? raw['postgresql'] : {};
  const binDir = typeof pg['bin_dir'] === 'string' ? pg['bin_dir'] : '';
  const binNames = isRecord(pg['bin_name']) ? pg['bin_name'] : {};
  const postgresName = typeof binNames['postgres'] === 'string' ? binNames['postgres'] : 'postgres';
  return [
    ...(await checkListen('restapi.listen', restapi['listen'], false, options)),
    ...checkConnectAddress('restapi.connect_address', restapi['connect_address']),
    ...(await dcsChecks(raw, options)),
    ...(await checkListen('postgresql.listen', pg['listen'], true, options)),
    ...checkConnectAddress('postgresql.connect_address', pg['connect_address']),
    ...checkConnectAddress('postgresql.proxy_address', pg['proxy_address']),
    ...(await checkDataDir(pg['data_dir'], binDir, postgresName)),
    // Like 3.0.2, an absent bin_dir is not checked (PostgreSQL then comes from PATH at runtime).
    ...(typeof pg['bin_dir'] === 'string' ? await checkBinDir(binDir, binNames, options) : []),
  ];
}
