import type { TestCluster, TestNode } from '../../test/support/cluster.js';
import { Writer } from '../harness/writer.js';

export async function createTable(leader: TestNode, table: string): Promise<void> {
  await leader.sql(
    `CREATE TABLE IF NOT EXISTS ${table} (id int PRIMARY KEY, at timestamptz DEFAULT now())`,
  );
}

/** A writer on the three nodes, committing steadily (50 commits) before the event starts. */
export async function startWriter(cluster: TestCluster, table: string): Promise<Writer> {
  const writer = new Writer(
    cluster.nodes.map((n) => n.pgPort),
    table,
  );
  writer.start();
  try {
    await writer.waitCommits(50, 0, 30_000);
  } catch (error) {
    await writer.stop();
    throw error;
  }
  return writer;
}
