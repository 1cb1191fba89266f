import type { TestCluster, TestNode } from '../../test/support/cluster.js';
import { waitHealthy } from '../harness/cluster.js';
import { runCommand } from '../harness/run-command.js';
import type { Samples } from '../harness/samples.js';
import type { System } from '../harness/system.js';
import { createTable, startWriter } from './write-load.js';
import { missingRows } from '../harness/writer.js';

/** The writer across `patronictl switchover --force`; then time to a healthy cluster. */
export async function switchover(
  system: System,
  cluster: TestCluster,
  leader: TestNode,
  samples: Samples,
): Promise<TestNode> {
  const table = 'bench_switchover';
  await createTable(leader, table);
  const writer = await startWriter(cluster, table);
  const t0 = performance.now();
  const ctl = system.ctl(leader.configPath, ['switchover', '--force']);
  const cmd = await runCommand(ctl, 120_000);
  if (cmd.code !== 0) {
    await writer.stop();
    throw new Error(`patronictl switchover exited ${cmd.code}: ${cmd.output.trim()}`);
  }
  samples.add('switchover.command', cmd.seconds);
  try {
    await writer.waitCommits(25, t0, 120_000, leader.pgPort);
  } finally {
    await writer.stop();
  }
  samples.add('switchover.gap', writer.longestGap(t0));
  const healthy = await waitHealthy(cluster, 180_000, leader.name);
  samples.add('switchover.healthy', (performance.now() - t0) / 1000);
  samples.add('switchover.lost', await missingRows(writer.commits, healthy.pgPort, table));
  return healthy;
}
