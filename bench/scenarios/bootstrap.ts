import type { BenchCluster } from '../harness/cluster.js';
import type { BenchNode } from '../harness/node.js';
import type { Samples } from '../harness/samples.js';

/** Starts the three daemons on empty data dirs; times it to 1 leader + 2 streaming. */
export async function bootstrap(cluster: BenchCluster, samples: Samples): Promise<BenchNode> {
  const started = performance.now();
  cluster.startAll();
  const leader = await cluster.waitHealthy(240_000);
  samples.add('bootstrap', (performance.now() - started) / 1000);
  return leader;
}
