import { PatroniError } from '../../shared/errors.js';
import type { PrimaryRoleName } from '../codec/roles.js';

/** What the etcd v3 adapter needs: the `etcd3:` section plus the top-level identity/timing. */
export interface Etcd3Options {
  /** `host:port` entries (no scheme); default port 2379. */
  readonly hosts: readonly string[];
  readonly protocol: 'http' | 'https';
  /** File paths, read at connect time. */
  readonly cacert?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly username?: string;
  readonly password?: string;
  readonly scope: string;
  readonly namespace?: string;
  readonly name: string;
  /** Seconds. */
  readonly ttl: number;
  readonly loopWait: number;
  readonly retryTimeout: number;
  readonly primaryRoleName?: PrimaryRoleName;
  /**
   * Read the cluster with a linearizable (quorum) read instead of a serializable one. Patroni
   * reads serializable in the daemon and linearizable in patronictl (3.0.4+).
   */
  readonly linearizableReads?: boolean;
  /**
   * `use_proxies: true` (or `proxy:`): the hosts are proxies, not cluster members, so the
   * member list is not asked (Patroni's `use_proxies`).
   */
  readonly useProxies?: boolean;
  /** `srv` / `srv_suffix`: the endpoints come from DNS SRV records of this domain. */
  readonly srv?: string;
  readonly srvSuffix?: string;
}

type Section = Readonly<Record<string, unknown>>;

/** The section being read (`etcd3` or `etcd`), for error messages. */
type SectionName = 'etcd' | 'etcd3';

function failer(name: SectionName): (field: string, why: string) => never {
  return (field: string, why: string): never => {
    throw new PatroniError('CONFIG_INVALID', `${name}.${field}: ${why}`);
  };
}

function stringReader(
  fail: (field: string, why: string) => never,
): (section: Section, field: string) => string | undefined {
  return (section: Section, field: string): string | undefined => {
    const v = section[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') fail(field, 'must be a string');
    return v;
  };
}

function withPort(host: string, port: number): string {
  const h = host.trim();
  if (h.startsWith('[')) return h.includes(']:') ? h : `${h}:${port}`;
  return h.includes(':') ? h : `${h}:${port}`;
}

interface Endpoints {
  hosts: string[];
  scheme: string | null;
  username?: string;
  password?: string;
}

/** `host`, `hosts` (list or comma-separated), `url` or `proxy`, as Patroni accepts them. */
function hostsOf(section: Section, name: SectionName): Endpoints {
  const fail: (field: string, why: string) => never = failer(name);
  const optionalString = stringReader(fail);
  const rawPort = section['port'];
  const port = typeof rawPort === 'number' ? rawPort : 2379;
  const url = optionalString(section, 'proxy') ?? optionalString(section, 'url');
  if (url !== undefined) {
    const field = section['proxy'] !== undefined ? 'proxy' : 'url';
    const parsed = URL.canParse(url) ? new URL(url) : fail(field, `not a URL: ${url}`);
    return {
      hosts: [withPort(parsed.host, 2379)],
      scheme: parsed.protocol.replace(':', ''),
      ...(parsed.username === '' ? {} : { username: decodeURIComponent(parsed.username) }),
      ...(parsed.password === '' ? {} : { password: decodeURIComponent(parsed.password) }),
    };
  }
  const hosts = section['hosts'];
  if (Array.isArray(hosts))
    return { hosts: hosts.map((h) => withPort(String(h), port)), scheme: null };
  if (typeof hosts === 'string') {
    return {
      hosts: hosts
        .split(',')
        .filter((h) => h.trim() !== '')
        .map((h) => withPort(h, port)),
      scheme: null,
    };
  }
  if (hosts !== undefined && hosts !== null)
    fail('hosts', 'must be a list or a comma-separated string');
  const host = optionalString(section, 'host');
  if (host === undefined && section['srv'] !== undefined) return { hosts: [], scheme: null };
  return { hosts: [withPort(host ?? '127.0.0.1:2379', port)], scheme: null };
}

export interface Etcd3Globals {
  readonly scope: string;
  readonly namespace?: string;
  readonly name: string;
  readonly ttl?: number;
  readonly loopWait?: number;
  readonly retryTimeout?: number;
  readonly primaryRoleName?: PrimaryRoleName;
  readonly linearizableReads?: boolean;
}

/** Reads the `etcd3:` section of patroni.yml; errors name the offending field. */
export function parseEtcd3Section(section: Section, globals: Etcd3Globals): Etcd3Options {
  return parseEtcdSection('etcd3', section, globals);
}

/**
 * Reads an `etcd3:` or `etcd:` section (the same keys, Patroni's `AbstractEtcd`); errors name
 * the section and field.
 */
export function parseEtcdSection(
  name: SectionName,
  section: Section,
  globals: Etcd3Globals,
): Etcd3Options {
  const fail: (field: string, why: string) => never = failer(name);
  const optionalString = stringReader(fail);
  const endpoints = hostsOf(section, name);
  const { hosts, scheme } = endpoints;
  const srv = optionalString(section, 'srv');
  const srvSuffix = optionalString(section, 'srv_suffix');
  if (hosts.length === 0 && srv === undefined) fail('hosts', 'no host given');
  const protocol = optionalString(section, 'protocol') ?? scheme ?? 'http';
  if (protocol !== 'http' && protocol !== 'https')
    fail('protocol', `must be http or https, not ${protocol}`);
  const pick = (field: string): Record<string, string> => {
    const v = optionalString(section, field);
    return v === undefined ? {} : { [field]: v };
  };
  const username = optionalString(section, 'username') ?? endpoints.username;
  const password = optionalString(section, 'password') ?? endpoints.password;
  const useProxies = section['proxy'] !== undefined || section['use_proxies'] === true;
  if (username !== undefined && password === undefined) fail('password', 'required with username');
  return {
    hosts,
    protocol: section['cacert'] !== undefined && protocol === 'http' ? 'https' : protocol,
    ...pick('cacert'),
    ...pick('cert'),
    ...pick('key'),
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    scope: globals.scope,
    ...(globals.namespace === undefined ? {} : { namespace: globals.namespace }),
    name: globals.name,
    ttl: globals.ttl ?? 30,
    loopWait: globals.loopWait ?? 10,
    retryTimeout: globals.retryTimeout ?? 10,
    ...(globals.primaryRoleName === undefined ? {} : { primaryRoleName: globals.primaryRoleName }),
    ...(globals.linearizableReads === true ? { linearizableReads: true } : {}),
    ...(useProxies ? { useProxies } : {}),
    ...(srv === undefined ? {} : { srv }),
    ...(srvSuffix === undefined ? {} : { srvSuffix }),
  };
}
