import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildEnvConfig } from './env.js';

describe('buildEnvConfig (PATRONI_* variables)', () => {
  it('maps the top-level, section and bin_name variables', () => {
    const { config } = buildEnvConfig({
      PATRONI_NAME: 'node1',
      PATRONI_SCOPE: 'batman',
      PATRONI_NAMESPACE: '/db/',
      PATRONI_RESTAPI_LISTEN: '0.0.0.0:8008',
      PATRONI_RESTAPI_CONNECT_ADDRESS: '10.0.0.1:8008',
      PATRONI_POSTGRESQL_DATA_DIR: '/data',
      PATRONI_POSTGRESQL_BIN_PG_CTL: 'pg_ctl15',
      PATRONI_LOG_LEVEL: 'DEBUG',
      PATRONI_LOG_DIR: '/var/log/patroni',
    });
    assert.deepEqual(config, {
      name: 'node1',
      scope: 'batman',
      namespace: '/db/',
      log: { level: 'DEBUG', dir: '/var/log/patroni' },
      restapi: { listen: '0.0.0.0:8008', connect_address: '10.0.0.1:8008' },
      postgresql: { data_dir: '/data', bin_name: { pg_ctl: 'pg_ctl15' } },
    });
  });

  it('converts booleans, integers, lists and dicts like Patroni', () => {
    const { config } = buildEnvConfig({
      PATRONI_RESTAPI_ALLOWLIST_INCLUDE_MEMBERS: 'on',
      PATRONI_RESTAPI_ALLOWLIST: "'10.0.0.0/8','192.168.0.1'",
      PATRONI_RESTAPI_HTTP_EXTRA_HEADERS: "'X-Frame-Options': 'SAMEORIGIN'",
      PATRONI_RESTAPI_REQUEST_QUEUE_SIZE: '10',
      PATRONI_RESTAPI_DASHBOARD: 'true',
      PATRONI_CTL_INSECURE: 'yes',
      PATRONI_LOG_FILE_NUM: '7',
      PATRONI_LOG_LOGGERS: 'patroni.postmaster: WARNING',
    });
    assert.deepEqual(config, {
      restapi: {
        allowlist_include_members: true,
        allowlist: ['10.0.0.0/8', '192.168.0.1'],
        http_extra_headers: { 'X-Frame-Options': 'SAMEORIGIN' },
        request_queue_size: 10,
        dashboard: true,
      },
      ctl: { insecure: true },
      log: { file_num: 7, loggers: { 'patroni.postmaster': 'WARNING' } },
    });
  });

  it('splits DCS variables at the first underscore (PATRONI_ETCD3_HOSTS -> etcd3.hosts)', () => {
    const { config } = buildEnvConfig({
      PATRONI_ETCD3_HOSTS: "'127.0.0.1:2379','127.0.0.2:2379'",
      PATRONI_ETCD3_PROTOCOL: 'https',
      PATRONI_ETCD3_USERNAME: 'root',
      PATRONI_ETCD3_PASSWORD: 'etcdpass',
      PATRONI_ETCD_USERNAME: 'ignored-no-etcd-section',
      PATRONI_KUBERNETES_POD_IP: '10.1.1.1',
      PATRONI_KUBERNETES_USE_ENDPOINTS: 'true',
      PATRONI_CONSUL_PORT: '8500',
      PATRONI_CITUS_GROUP: '0',
      PATRONI_CITUS_HOST: 'ignored',
    });
    assert.deepEqual(config['etcd3'], {
      hosts: ['127.0.0.1:2379', '127.0.0.2:2379'],
      protocol: 'https',
      username: 'root',
      password: 'etcdpass',
    });
    assert.equal(config['etcd'], undefined);
    assert.deepEqual(config['kubernetes'], { pod_ip: '10.1.1.1', use_endpoints: true });
    assert.deepEqual(config['consul'], { port: 8500 });
    assert.deepEqual(config['citus'], { group: 0 });
  });

  it('an unquoted comma list of hosts is wrapped and parsed as YAML', () => {
    const { config } = buildEnvConfig({ PATRONI_ETCD_HOSTS: 'h1:2379,h2:2379' });
    assert.deepEqual(config['etcd'], { hosts: ['h1:2379', 'h2:2379'] });
  });

  it('builds authentication for the three PostgreSQL users, restapi and ctl', () => {
    const { config } = buildEnvConfig({
      PATRONI_SUPERUSER_USERNAME: 'postgres',
      PATRONI_SUPERUSER_PASSWORD: 'su-secret',
      PATRONI_REPLICATION_USERNAME: 'replicator',
      PATRONI_REPLICATION_PASSWORD: 'rep-secret',
      PATRONI_REPLICATION_SSLMODE: 'require',
      PATRONI_REWIND_USERNAME: 'rewind',
      PATRONI_RESTAPI_USERNAME: 'admin',
      PATRONI_RESTAPI_PASSWORD: 'api-secret',
      PATRONI_CTL_USERNAME: 'ctl',
      PATRONI_CTL_PASSWORD: 'ctl-secret',
    });
    assert.deepEqual(config['postgresql'], {
      authentication: {
        superuser: { username: 'postgres', password: 'su-secret' },
        replication: { username: 'replicator', password: 'rep-secret', sslmode: 'require' },
        rewind: { username: 'rewind' },
      },
    });
    assert.deepEqual(config['restapi'], {
      authentication: { username: 'admin', password: 'api-secret' },
    });
    assert.deepEqual(config['ctl'], {
      authentication: { username: 'ctl', password: 'ctl-secret' },
    });
    assert.equal(config['bootstrap'], undefined, 'consumed passwords are not bootstrap users');
  });

  it('turns leftover PATRONI_<user>_PASSWORD/_OPTIONS into bootstrap users, keeping case', () => {
    const { config, consumed } = buildEnvConfig({
      PATRONI_admin_PASSWORD: 'admin-pw',
      PATRONI_admin_OPTIONS: 'createrole,createdb',
      PATRONI_APP_PASSWORD: 'app-pw',
      PATRONI_EMPTY_PASSWORD: '',
    });
    assert.deepEqual(config['bootstrap'], {
      users: {
        admin: { password: 'admin-pw', options: ['createrole', 'createdb'] },
        APP: { password: 'app-pw' },
      },
    });
    assert.ok(consumed.includes('PATRONI_admin_OPTIONS'));
  });

  it('honours the legacy log variable names unless the new ones are set', () => {
    assert.deepEqual(buildEnvConfig({ PATRONI_LOGLEVEL: 'DEBUG' }).config, {
      log: { level: 'DEBUG' },
    });
    assert.deepEqual(
      buildEnvConfig({ PATRONI_LOGLEVEL: 'DEBUG', PATRONI_LOG_LEVEL: 'ERROR' }).config,
      { log: { level: 'ERROR' } },
    );
  });

  it('ignores empty values and non-PATRONI variables, and lists what it read', () => {
    const { config, consumed } = buildEnvConfig({
      PATRONI_NAME: '',
      PATRONI_SCOPE: 'x',
      HOME: '/root',
      PATRONI_UNRELATED: 'y',
    });
    assert.deepEqual(config, { scope: 'x' });
    assert.deepEqual(consumed, ['PATRONI_NAME', 'PATRONI_SCOPE']);
  });
});
