import { PatroniError } from '../../shared/errors.js';
import type { PrimaryRoleName } from '../codec/roles.js';
import { parseSetAcls, type ZkAcl } from './acls.js';

/** TLS to the ensemble (Patroni's `use_ssl` and the kazoo options it maps). */
export interface ZkTls {
  readonly cacert?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly keyPassword?: string;
  /** Check the server's certificate (Patroni's `verify`, default true). */
  readonly verify: boolean;
}

/** What the ZooKeeper adapter needs: the `zookeeper:` section plus identity and timing. */
export interface ZooKeeperOptions {
  /** `host:port` entries; default port 2181. */
  readonly hosts: readonly string[];
  readonly tls?: ZkTls;
  /** `set_acls`: the ACL of every node created; absent: ZooKeeper's open ACL. */
  readonly acls?: readonly ZkAcl[];
  readonly scope: string;
  readonly namespace?: string;
  readonly name: string;
  /** Seconds; the session timeout. */
  readonly ttl: number;
  readonly loopWait: number;
  readonly retryTimeout: number;
  readonly primaryRoleName?: PrimaryRoleName;
}

export interface ZooKeeperGlobals {
  readonly scope: string;
  readonly namespace?: string;
  readonly name: string;
  readonly ttl?: number;
  readonly loopWait?: number;
  readonly retryTimeout?: number;
  readonly primaryRoleName?: PrimaryRoleName;
}

type Section = Readonly<Record<string, unknown>>;

function fail(section: string, field: string, why: string): never {
  throw new PatroniError('CONFIG_INVALID', `${section}.${field}: ${why}`);
}

function withPort(host: string, port: number): string {
  const h = host.trim();
  if (h.startsWith('[')) return h.includes(']:') ? h : `${h}:${port}`;
  return h.includes(':') ? h : `${h}:${port}`;
}

/** `hosts` as a list or a comma-separated string, as Patroni (and kazoo) take it. */
export function hostList(value: unknown, section: string, port: number): string[] {
  const items = Array.isArray(value)
    ? value.map(String)
    : typeof value === 'string'
      ? value.split(',')
      : fail(section, 'hosts', 'must be a list or a comma-separated string');
  const hosts = items.filter((h) => h.trim() !== '').map((h) => withPort(h, port));
  if (hosts.length === 0) fail(section, 'hosts', 'no host given');
  return hosts;
}

function optionalString(section: Section, field: string): string | undefined {
  const v = section[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') fail('zookeeper', field, 'must be a string');
  return v;
}

function flag(section: Section, field: string, fallback: boolean): boolean {
  const v = section[field];
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(on|true|yes|1)$/i.test(v)) return true;
  if (typeof v === 'string' && /^(off|false|no|0)$/i.test(v)) return false;
  return fail('zookeeper', field, 'must be a boolean');
}

function tlsOf(section: Section): ZkTls | undefined {
  if (!flag(section, 'use_ssl', false)) return undefined;
  const pick = (field: string, as: keyof ZkTls): Record<string, string> => {
    const v = optionalString(section, field);
    return v === undefined ? {} : { [as]: v };
  };
  return {
    ...pick('cacert', 'cacert'),
    ...pick('cert', 'cert'),
    ...pick('key', 'key'),
    ...pick('key_password', 'keyPassword'),
    verify: flag(section, 'verify', true),
  };
}

/** Reads the `zookeeper:` section of patroni.yml; errors name the offending field. */
export function parseZooKeeperSection(
  section: Section,
  globals: ZooKeeperGlobals,
): ZooKeeperOptions {
  const hosts = hostList(section['hosts'] ?? [], 'zookeeper', 2181);
  const tls = tlsOf(section);
  const acls = parseSetAcls(section['set_acls']);
  return {
    hosts,
    ...(tls === undefined ? {} : { tls }),
    ...(acls === undefined ? {} : { acls }),
    ...timingOf(globals),
  };
}

/** Identity and timing, with Patroni's defaults (ttl 30, loop_wait 10, retry_timeout 10). */
export function timingOf(
  globals: ZooKeeperGlobals,
): Omit<ZooKeeperOptions, 'hosts' | 'tls' | 'acls'> {
  return {
    scope: globals.scope,
    ...(globals.namespace === undefined ? {} : { namespace: globals.namespace }),
    name: globals.name,
    ttl: globals.ttl ?? 30,
    loopWait: globals.loopWait ?? 10,
    retryTimeout: globals.retryTimeout ?? 10,
    ...(globals.primaryRoleName === undefined ? {} : { primaryRoleName: globals.primaryRoleName }),
  };
}
