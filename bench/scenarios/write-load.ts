import type { BenchCluster } from '../harness/cluster.js';
import type { BenchNode } from '../harness/node.js';
import { Writer } from '../harness/writer.js';

export async function createTable(leader: BenchNode, table: string): Promise<void> {
  await leader.sql(
    `CREATE TABLE IF NOT EXISTS ${table} (id int PRIMARY KEY, at timestamptz DEFAULT now())`,
  );
}

/** A writer on the three nodes, committing steadily (50 commits) before the event starts. */
export async function startWriter(cluster: BenchCluster, table: string): Promise<Writer> {
  const writer = new Writer(cluster.pgPorts, table);
  writer.start();
  try {
    await writer.waitCommits(50, 0, 30_000);
  } catch (error) {
    await writer.stop();
    throw error;
  }
  return writer;
}
