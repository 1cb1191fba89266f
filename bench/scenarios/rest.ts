import autocannon from 'autocannon';
import type { BenchCluster } from '../harness/cluster.js';
import type { BenchNode } from '../harness/node.js';
import type { Samples } from '../harness/samples.js';
import { freshConnectionLoad, type LoadResult } from '../rest/fresh-connections.js';

export interface RestOptions {
  readonly durationS: number;
  readonly connections: number;
}

async function keepAliveLoad(url: string, o: RestOptions): Promise<LoadResult> {
  const r = await autocannon({ url, duration: o.durationS, connections: o.connections });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

/** GET /primary on the leader and GET /replica on a replica, with and without keep-alive. */
export async function restLoad(
  cluster: BenchCluster,
  leader: BenchNode,
  samples: Samples,
  o: RestOptions,
): Promise<void> {
  const replica = cluster.nodes.find((n) => n !== leader) ?? leader;
  const cases = [
    { key: 'primary', url: `${leader.apiBase}/primary` },
    { key: 'replica', url: `${replica.apiBase}/replica` },
  ];
  for (const mode of ['ka', 'new'] as const) {
    for (const c of cases) {
      const r =
        mode === 'ka'
          ? await keepAliveLoad(c.url, o)
          : await freshConnectionLoad(c.url, o.durationS, o.connections);
      const key = `rest.${c.key}.${mode}`;
      if (r.non2xx > 0 || r.errors > 0) {
        samples.fail(key, `${r.non2xx} non-2xx, ${r.errors} errors`);
      }
      samples.add(`${key}.rps`, r.rps);
      samples.add(`${key}.p50`, r.p50);
      samples.add(`${key}.p99`, r.p99);
    }
  }
}
