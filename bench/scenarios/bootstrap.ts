import type { TestCluster, TestNode } from '../../test/support/cluster.js';
import { waitHealthy } from '../harness/cluster.js';
import type { Samples } from '../harness/samples.js';

/** Starts the three daemons on empty data dirs; times it to 1 leader + 2 streaming. */
export async function bootstrap(cluster: TestCluster, samples: Samples): Promise<TestNode> {
  const started = performance.now();
  cluster.startAll();
  const leader = await waitHealthy(cluster, 240_000);
  samples.add('bootstrap', (performance.now() - started) / 1000);
  return leader;
}
