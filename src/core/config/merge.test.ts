import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { effectiveConfig } from './merge.js';
import type { DynamicConfig, LocalConfig } from './types.js';

const local = (
  pg: Record<string, unknown> = {},
  top: Record<string, unknown> = {},
): LocalConfig => ({
  scope: 'batman',
  name: 'node1',
  postgresql: { listen: '127.0.0.1:5432', data_dir: '/data', ...pg },
  ...top,
});

describe('effectiveConfig: HA settings', () => {
  const rows: {
    name: string;
    local?: LocalConfig;
    dynamic: DynamicConfig | null;
    expect: Record<string, unknown>;
  }[] = [
    {
      name: 'defaults when there is no dynamic config',
      dynamic: null,
      expect: {
        ttl: 30,
        loopWait: 10,
        retryTimeout: 10,
        maximumLagOnFailover: 1048576,
        useSlots: true,
      },
    },
    {
      name: 'dynamic values win over defaults',
      dynamic: {
        ttl: 40,
        loop_wait: 5,
        retry_timeout: 12,
        maximum_lag_on_failover: 0,
        synchronous_mode: true,
      },
      expect: {
        ttl: 40,
        loopWait: 5,
        retryTimeout: 12,
        maximumLagOnFailover: 0,
        synchronousMode: true,
      },
    },
    {
      name: 'local top-level timings are ignored (Patroni takes them from the DCS only)',
      local: local({}, { ttl: 99, loop_wait: 1 }),
      dynamic: { ttl: 30 },
      expect: { ttl: 30, loopWait: 10 },
    },
    {
      name: 'master_*_timeout are read when primary_* are absent',
      dynamic: { master_start_timeout: 20, master_stop_timeout: 7 },
      expect: { primaryStartTimeout: 20, primaryStopTimeout: 7 },
    },
    {
      name: 'primary_* win over master_*',
      dynamic: { master_start_timeout: 20, primary_start_timeout: 30 },
      expect: { primaryStartTimeout: 30 },
    },
    {
      name: 'use_slots comes only from the dynamic layer',
      local: local({ use_slots: true }),
      dynamic: { postgresql: { use_slots: false } },
      expect: { useSlots: false },
    },
    {
      name: 'local use_pg_rewind wins over dynamic',
      local: local({ use_pg_rewind: false }),
      dynamic: { postgresql: { use_pg_rewind: true } },
      expect: { usePgRewind: false },
    },
    {
      name: 'dynamic use_pg_rewind applies when local is silent',
      dynamic: { postgresql: { use_pg_rewind: true } },
      expect: { usePgRewind: true },
    },
    {
      name: 'loop_wait is reduced to keep loop_wait + 2*retry_timeout <= ttl',
      dynamic: { ttl: 30, loop_wait: 20, retry_timeout: 10 },
      expect: { ttl: 30, loopWait: 10, retryTimeout: 10 },
    },
    {
      name: 'retry_timeout is reduced when even loop_wait=1 does not fit',
      dynamic: { ttl: 20, loop_wait: 10, retry_timeout: 15 },
      expect: { ttl: 20, loopWait: 1, retryTimeout: 9 },
    },
    {
      name: 'values under the minimums are raised',
      dynamic: { ttl: 3, loop_wait: 0, retry_timeout: 0 },
      expect: { ttl: 4, loopWait: 1, retryTimeout: 1 },
    },
    {
      name: 'the fast profile (ttl 6, loop_wait 1, retry_timeout 2) is taken as it is',
      dynamic: { ttl: 6, loop_wait: 1, retry_timeout: 2 },
      expect: { ttl: 6, loopWait: 1, retryTimeout: 2 },
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const { ha } = effectiveConfig(row.local ?? local(), row.dynamic);
      for (const [key, value] of Object.entries(row.expect)) {
        assert.equal(ha[key as keyof typeof ha], value, key);
      }
    });
  }

  it('warns with Patroni sentences when it adjusts timings', () => {
    const { warnings } = effectiveConfig(local(), { ttl: 3, loop_wait: 10, retry_timeout: 10 });
    assert.ok(
      warnings.includes("ttl=3 can't be smaller than 4, adjusting..."),
      warnings.join('\n'),
    );
    assert.ok(
      warnings.some((w) => w.startsWith('Violated the rule "loop_wait + 2*retry_timeout <= ttl"')),
    );
  });

  it('does not warn for the defaults', () => {
    assert.deepEqual(effectiveConfig(local(), null).warnings, []);
  });
});

describe('effectiveConfig: PostgreSQL parameters', () => {
  const rows: {
    name: string;
    localParams?: Record<string, unknown>;
    dynamicParams?: Record<string, unknown>;
    major?: number;
    expect: Record<string, unknown>;
  }[] = [
    {
      name: 'command-line defaults are always present (wal_level replica on >= 9.6)',
      expect: {
        wal_level: 'replica',
        hot_standby: 'on',
        max_connections: 100,
        max_wal_senders: 10,
        max_prepared_transactions: 0,
        max_locks_per_transaction: 64,
        track_commit_timestamp: 'off',
        max_replication_slots: 10,
        max_worker_processes: 8,
        wal_log_hints: 'on',
        wal_keep_size: '128MB',
        listen_addresses: undefined,
        port: undefined,
        cluster_name: undefined,
        wal_keep_segments: undefined,
      },
    },
    {
      name: 'local values of command-line parameters are dropped',
      localParams: { max_connections: 500, wal_level: 'logical', shared_buffers: '1GB' },
      expect: { max_connections: 100, wal_level: 'replica', shared_buffers: '1GB' },
    },
    {
      name: 'dynamic command-line values that pass their check are taken',
      dynamicParams: { max_connections: 200, wal_level: 'logical', max_wal_senders: '5' },
      expect: { max_connections: 200, wal_level: 'logical', max_wal_senders: '5' },
    },
    {
      name: 'dynamic command-line values that fail their check fall back to the default',
      dynamicParams: {
        max_connections: 10,
        wal_level: 'minimal',
        hot_standby: 'off',
        max_wal_senders: 'x',
      },
      expect: {
        max_connections: 100,
        wal_level: 'replica',
        hot_standby: 'on',
        max_wal_senders: 10,
      },
    },
    {
      name: 'local wins over dynamic for ordinary parameters',
      localParams: { work_mem: '8MB' },
      dynamicParams: { work_mem: '4MB', shared_buffers: '256MB' },
      expect: { work_mem: '8MB', shared_buffers: '256MB' },
    },
    {
      name: 'null in the dynamic layer removes nothing but is not written',
      dynamicParams: { work_mem: null },
      expect: { work_mem: undefined },
    },
    {
      name: 'wal_keep_segments is converted to wal_keep_size on PostgreSQL 13+',
      dynamicParams: { wal_keep_segments: 20 },
      expect: { wal_keep_size: '320MB', wal_keep_segments: undefined },
    },
    {
      name: 'wal_keep_size is converted to segments before PostgreSQL 13',
      dynamicParams: { wal_keep_size: '1GB' },
      major: 12,
      expect: { wal_keep_segments: 64, wal_keep_size: undefined },
    },
    {
      name: 'wal_keep_size below 16MB is refused',
      dynamicParams: { wal_keep_size: '8MB' },
      expect: { wal_keep_size: '128MB' },
    },
    {
      name: 'parameter names of command-line options are case-insensitive',
      localParams: { MAX_CONNECTIONS: 7 },
      dynamicParams: { Max_Connections: 300 },
      expect: { max_connections: 300, MAX_CONNECTIONS: undefined },
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const eff = effectiveConfig(
        local(row.localParams === undefined ? {} : { parameters: row.localParams }),
        row.dynamicParams === undefined
          ? null
          : { postgresql: { parameters: row.dynamicParams as never } },
        row.major === undefined ? {} : { pgMajor: row.major },
      );
      for (const [key, value] of Object.entries(row.expect)) {
        assert.equal(eff.parameters[key], value, key);
      }
      assert.equal(eff.postgresql.parameters, eff.parameters);
    });
  }

  it('logs Patroni’s sentence for a refused dynamic value', () => {
    const eff = effectiveConfig(local(), { postgresql: { parameters: { max_connections: 10 } } });
    assert.deepEqual(eff.warnings, [
      'postgresql parameter max_connections=10 failed validation, defaulting to 100',
    ]);
  });
});

describe('effectiveConfig: postgresql section and raw-config keys', () => {
  it('takes dynamic postgresql keys except the local-only ones, local keys win', () => {
    const eff = effectiveConfig(local({ pg_hba: ['local all all trust'] }), {
      postgresql: {
        pg_hba: ['host all all 0.0.0.0/0 md5'],
        recovery_conf: { restore_command: 'cp x y' },
        data_dir: '/elsewhere',
        listen: '0.0.0.0:1',
        authentication: { superuser: { username: 'evil' } },
      },
    });
    assert.deepEqual(eff.postgresql.pg_hba, ['local all all trust']);
    assert.deepEqual(eff.postgresql.recovery_conf, { restore_command: 'cp x y' });
    assert.equal(eff.postgresql['data_dir'], '/data');
    assert.equal(eff.postgresql['listen'], '127.0.0.1:5432');
    assert.equal(eff.postgresql['authentication'], undefined);
  });

  it('reads pause, standby_cluster, slots and history limits from the dynamic layer', () => {
    const eff = effectiveConfig(local(), {
      pause: true,
      max_timelines_history: 5,
      standby_cluster: { host: ['10.0.0.1'], port: 5433 },
      slots: { s1: { type: 'physical' } },
      permanent_slots: { s2: {} },
      ignore_slots: [{ name: 'x' }],
    });
    assert.equal(eff.pause, true);
    assert.equal(eff.maxTimelinesHistory, 5);
    assert.deepEqual(eff.standbyCluster, { host: ['10.0.0.1'], port: 5433 });
    assert.deepEqual(eff.permanentSlots, { s2: {} });
    assert.deepEqual(eff.ignoreSlots, [{ name: 'x' }]);
  });

  it('a standby_cluster section without host, port or restore_command is no standby cluster', () => {
    const eff = effectiveConfig(local(), { standby_cluster: { primary_slot_name: 'x' } });
    assert.equal(eff.standbyCluster, null);
    assert.equal(effectiveConfig(local(), null).pause, false);
  });
});
