/**
 * Where the runner gets its topology and nemeses: the namespaced topology (chaos/topology) with
 * the full registry (chaos/nemesis), or the loopback stand-in with process faults only, for
 * development on a machine without network namespaces.
 */
import { NEMESES } from './nemesis/index.js';
import { LOCAL_NEMESES } from './nemesis-local.js';
import { startTopology } from './topology/index.js';
import { startLocalTopology } from './topology-local.js';
import type { Nemesis, Topology, TopologyOptions } from './types.js';

export type TopologyKind = 'netns' | 'local';

export interface Lab {
  readonly kind: TopologyKind;
  readonly start: (o: TopologyOptions) => Promise<Topology>;
  readonly nemeses: ReadonlyMap<string, Nemesis>;
}

export function loadLab(kind: TopologyKind): Lab {
  if (kind === 'local') {
    return {
      kind,
      start: startLocalTopology,
      nemeses: new Map(LOCAL_NEMESES.map((n) => [n.name, n])),
    };
  }
  return { kind, start: startTopology, nemeses: new Map(Object.entries(NEMESES)) };
}
