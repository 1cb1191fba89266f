import { join } from 'node:path';
import { stringify } from 'yaml';
import { isRecord } from '../../src/core/config/values.js';
import { deepMerge } from '../../src/config/merge-raw.js';
import { PG_BIN_DIR } from './postgres.js';

/** The superuser password every test cluster's nodes are written with. */
export const SUPERUSER_PASSWORD = 'su-secret';

/** Where one node lives: its name, address, ports and directories. */
export interface NodeLayout {
  readonly name: string;
  /** The address PostgreSQL and the REST API listen on and advertise. */
  readonly host: string;
  readonly pgPort: number;
  readonly restPort: number;
  readonly dir: string;
  readonly dataDir: string;
}

/** What one node's patroni.yml is written from. */
export interface NodeConfigInput {
  readonly scope: string;
  readonly node: NodeLayout;
  /** The DCS section(s), e.g. `{ etcd3: { hosts: '127.0.0.1:2379' } }`. */
  readonly dcsSection: Readonly<Record<string, unknown>>;
  readonly tags?: Readonly<Record<string, unknown>> | undefined;
}

/** What every node of a cluster adds to or changes in the defaults. */
export interface NodeConfigOverrides {
  /** bootstrap.dcs, over the fastest timing Patroni allows (ttl 20, loop_wait 2). */
  readonly dcs?: Readonly<Record<string, unknown>>;
  /** Extra top-level keys. */
  readonly extra?: Readonly<Record<string, unknown>>;
  /** Merged into the `postgresql` section (maps merge, anything else replaces). */
  readonly postgresql?: Readonly<Record<string, unknown>>;
  /** Extra keys of `bootstrap` (e.g. `users`). */
  readonly bootstrapExtra?: Readonly<Record<string, unknown>>;
}

/** The patroni.yml document of one node, before a caller's last edits. */
export function nodeConfigDoc(i: NodeConfigInput, o: NodeConfigOverrides): Record<string, unknown> {
  const n = i.node;
  return {
    scope: i.scope,
    name: n.name,
    restapi: {
      listen: `${n.host}:${n.restPort}`,
      connect_address: `${n.host}:${n.restPort}`,
    },
    ...i.dcsSection,
    bootstrap: {
      dcs: {
        ttl: 20,
        loop_wait: 2,
        retry_timeout: 5,
        postgresql: {
          use_pg_rewind: true,
          // wal_log_hints and hot_standby are forced on by Patroni (and by us); setting them
          // only earns a "failed validation" warning.
          parameters: { max_connections: 30, shared_buffers: '16MB' },
        },
        ...o.dcs,
      },
      initdb: [{ encoding: 'UTF8' }],
      pg_hba: [
        'host replication replicator 127.0.0.1/32 md5',
        'host all all 127.0.0.1/32 md5',
        ...(n.host === '127.0.0.1' ? [] : hbaForSubnet(n.host)),
      ],
      ...o.bootstrapExtra,
    },
    postgresql: {
      listen: `${n.host}:${n.pgPort}`,
      connect_address: `${n.host}:${n.pgPort}`,
      data_dir: n.dataDir,
      bin_dir: PG_BIN_DIR,
      pgpass: join(n.dir, 'pgpass'),
      authentication: {
        superuser: { username: 'postgres', password: SUPERUSER_PASSWORD },
        replication: { username: 'replicator', password: 'rep-secret' },
        rewind: { username: 'rewind_user', password: 'rewind-secret' },
      },
      parameters: { unix_socket_directories: n.dir, fsync: 'off' },
    },
    ...(i.tags === undefined ? {} : { tags: i.tags }),
    // Never arm a real /dev/watchdog from a test (the default mode is automatic): a kill -9
    // test would then reset the machine. The watchdog tests set their own device.
    watchdog: { mode: 'off' },
    ...o.extra,
  };
}

/**
 * The document as patroni.yml text, `postgresql` overrides merged in last. YAML 1.1, as Patroni
 * (PyYAML) reads it: 'off'/'on' must stay quoted strings.
 */
export function nodeConfigText(
  doc: Readonly<Record<string, unknown>>,
  o: NodeConfigOverrides,
): string {
  const base = isRecord(doc['postgresql']) ? doc['postgresql'] : {};
  // Maps merge, anything else is replaced (Patroni's tests' way).
  const postgresql = deepMerge(base, o.postgresql ?? {});
  return stringify({ ...doc, postgresql }, { version: '1.1' });
}

/** The host's /24: replicas connect from the host address, HAProxy clients from the lab. */
function hbaForSubnet(host: string): string[] {
  const net = `${host.split('.').slice(0, 3).join('.')}.0/24`;
  return [`host replication replicator ${net} md5`, `host all all ${net} md5`];
}
