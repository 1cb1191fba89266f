import type { TestCluster, TestNode } from '../../test/support/cluster.js';
import type { Samples } from '../harness/samples.js';
import { httpLoad } from '../harness/http-load.js';

export interface RestOptions {
  readonly durationS: number;
  readonly connections: number;
}

/** GET /primary on the leader and GET /replica on a replica, with and without keep-alive. */
export async function restLoad(
  cluster: TestCluster,
  leader: TestNode,
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
      const r = await httpLoad(c.url, o.durationS, o.connections, mode === 'ka');
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
