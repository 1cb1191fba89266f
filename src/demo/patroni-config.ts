import { stringify } from 'yaml';
import type { DemoLayout, DemoNode } from './layout.js';

/** Demo-only credentials: printed to the user on purpose, never used outside the demo. */
export const DEMO_PASSWORDS = {
  superuser: 'demo-postgres',
  replication: 'demo-replicator',
  rewind: 'demo-rewind',
} as const;

/**
 * An ordinary patroni.yml, the kind the usual Patroni + etcd + HAProxy guides show, so a user can
 * read it and copy it. Timing is faster than the defaults (ttl 20, loop_wait 5, retry_timeout 5)
 * so a failover in the demo takes seconds, not half a minute; loop_wait + 2 * retry_timeout <= ttl
 * still holds.
 */
export function renderDemoConfig(layout: DemoLayout, node: DemoNode): string {
  const doc = {
    scope: layout.scope,
    namespace: '/service/',
    name: node.name,
    log: { level: 'INFO' },
    restapi: {
      listen: `${layout.host}:${node.restPort}`,
      connect_address: `${layout.host}:${node.restPort}`,
    },
    etcd3: { hosts: `${layout.host}:${layout.etcdClientPort}` },
    bootstrap: {
      dcs: {
        ttl: 20,
        loop_wait: 5,
        retry_timeout: 5,
        maximum_lag_on_failover: 1048576,
        postgresql: {
          use_pg_rewind: true,
          use_slots: true,
          // hot_standby and wal_log_hints are not here: Patroni always sets both to on (pg_rewind
          // needs wal_log_hints) and warns that a value given here "failed validation".
          parameters: {
            wal_level: 'replica',
            max_wal_senders: 10,
            max_replication_slots: 10,
          },
        },
      },
      initdb: [{ encoding: 'UTF8' }, 'data-checksums'],
      pg_hba: [
        `host replication replicator ${layout.host}/32 scram-sha-256`,
        `host all all ${layout.host}/32 scram-sha-256`,
      ],
    },
    postgresql: {
      listen: `${layout.host}:${node.pgPort}`,
      connect_address: `${layout.host}:${node.pgPort}`,
      data_dir: node.dataDir,
      bin_dir: '/usr/lib/postgresql/15/bin',
      pgpass: `${node.dir}/pgpass`,
      authentication: {
        replication: { username: 'replicator', password: DEMO_PASSWORDS.replication },
        superuser: { username: 'postgres', password: DEMO_PASSWORDS.superuser },
        rewind: { username: 'rewind_user', password: DEMO_PASSWORDS.rewind },
      },
      parameters: {
        unix_socket_directories: node.dir,
        shared_buffers: '32MB',
      },
    },
    tags: { nofailover: false, noloadbalance: false, clonefrom: false, nosync: false },
  };
  // YAML 1.1 output quotes 'on'/'off': Patroni (PyYAML) and we read patroni.yml as YAML 1.1, where a
  // bare `on` is the boolean true, not the string PostgreSQL documents.
  const body = stringify(doc, { version: '1.1' });
  return `# patroni-ts demo node ${node.name}: a plain patroni.yml, usable with Patroni too.\n${body}`;
}
