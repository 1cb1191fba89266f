import { TestCluster, type TestNode } from '../../test/support/cluster.js';
import { PG_BIN_DIR as TEST_PG_BIN_DIR } from '../../test/support/postgres.js';
import type { BenchDcs } from './dcs-server.js';
import type { ReplicationMode } from './options.js';
import type { Profile } from './profile.js';
import type { System } from './system.js';

export const PG_BIN_DIR = process.env['BENCH_PG_BIN'] ?? TEST_PG_BIN_DIR;

/** The scope every bench cluster runs under. */
export const BENCH_SCOPE = 'bench';

/**
 * Three daemons of one system on `dcs`, each with the same patroni.yml whichever system runs it:
 * the configs are written, the daemons not started yet (`startAll()`, so that a scenario can time
 * the bootstrap). `stop()` also destroys the DCS. `mode` sets bootstrap.dcs synchronous_mode
 * (not strict: as Patroni's default, a leader without a standby left writes on alone).
 */
export function prepareCluster(
  system: System,
  profile: Profile,
  dcs: BenchDcs,
  mode: ReplicationMode = 'async',
): Promise<TestCluster> {
  return TestCluster.start({
    scope: BENCH_SCOPE,
    command: system.command,
    store: () => Promise.resolve(dcs),
    startDaemons: false,
    postgresql: { bin_dir: PG_BIN_DIR },
    dcs: {
      ttl: profile.ttl,
      loop_wait: profile.loopWait,
      retry_timeout: profile.retryTimeout,
      maximum_lag_on_failover: 1048576,
      synchronous_mode: mode === 'sync',
      postgresql: {
        use_pg_rewind: true,
        parameters: { wal_log_hints: 'on', max_connections: 30, shared_buffers: '16MB' },
      },
    },
  });
}

/** Polls for a healthy cluster every 100 ms: the precision of the timed figures. */
export function waitHealthy(
  cluster: TestCluster,
  timeoutMs: number,
  except?: string,
): Promise<TestNode> {
  return cluster.waitForHealthy(timeoutMs, except, 100);
}
