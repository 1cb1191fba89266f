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
}

type Section = Readonly<Record<string, unknown>>;

function fail(field: string, why: string): never {
  throw new PatroniError('CONFIG_INVALID', `etcd3.${field}: ${why}`);
}

function optionalString(section: Section, field: string): string | undefined {
  const v = section[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') fail(field, 'must be a string');
  return v;
}

function withPort(host: string): string {
  const h = host.trim();
  if (h.startsWith('[')) return h.includes(']:') ? h : `${h}:2379`;
  return h.includes(':') ? h : `${h}:2379`;
}

/** `host`, `hosts` (list or comma-separated) or `url`(s), as Patroni accepts them. */
function hostsOf(section: Section): { hosts: string[]; scheme: string | null } {
  const hosts = section['hosts'];
  if (Array.isArray(hosts)) return { hosts: hosts.map((h) => withPort(String(h))), scheme: null };
  if (typeof hosts === 'string') {
    return {
      hosts: hosts
        .split(',')
        .filter((h) => h.trim() !== '')
        .map(withPort),
      scheme: null,
    };
  }
  if (hosts !== undefined && hosts !== null)
    fail('hosts', 'must be a list or a comma-separated string');
  const url = optionalString(section, 'url') ?? optionalString(section, 'proxy');
  if (url !== undefined) {
    const parsed = URL.canParse(url) ? new URL(url) : fail('url', `not a URL: ${url}`);
    return { hosts: [withPort(parsed.host)], scheme: parsed.protocol.replace(':', '') };
  }
  const host = optionalString(section, 'host') ?? '127.0.0.1:2379';
  return { hosts: [withPort(host)], scheme: null };
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
  const { hosts, scheme } = hostsOf(section);
  if (hosts.length === 0) fail('hosts', 'no host given');
  const protocol = optionalString(section, 'protocol') ?? scheme ?? 'http';
  if (protocol !== 'http' && protocol !== 'https')
    fail('protocol', `must be http or https, not ${protocol}`);
  const pick = (field: string): Record<string, string> => {
    const v = optionalString(section, field);
    return v === undefined ? {} : { [field]: v };
  };
  const username = optionalString(section, 'username');
  const password = optionalString(section, 'password');
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
  };
}
