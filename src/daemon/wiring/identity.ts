import type { SelfIdentity } from '../../core/ha/input.js';
import type { PatroniConfig } from '../../config/schema.js';
import { tagsOf } from '../../config/to-options.js';

/** The Patroni version we announce on the wire: peers parse it as dotted integers. */
export const WIRE_VERSION = '3.0.2';

/** `postgres://host:port/db`, IPv6 hosts in brackets (spec/core.md §2.3). */
export function connUrlOf(address: string, database: string): string {
  const i = address.lastIndexOf(':');
  const host = i < 0 ? address : address.slice(0, i);
  const port = i < 0 ? '5432' : address.slice(i + 1);
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `postgres://${bracketed}:${port}/${database}`;
}

export function selfIdentity(config: PatroniConfig, apiUrl: string): SelfIdentity {
  const database = config.postgresql.database ?? 'postgres';
  const proxy = config.postgresql.proxy_address;
  return {
    name: config.name,
    apiUrl,
    connUrl: connUrlOf(config.postgresql.connect_address, database),
    proxyUrl: proxy === undefined ? null : connUrlOf(proxy, database),
    tags: tagsOf(config),
    version: WIRE_VERSION,
  };
}
