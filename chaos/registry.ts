/**
 * Where the runner gets its topology and nemeses: the namespaced topology and the full nemesis
 * registry of chaos/topology and chaos/nemesis when they are there, else the loopback stand-ins.
 */
import { LOCAL_NEMESES } from './nemesis-local.js';
import { startLocalTopology } from './topology-local.js';
import type { Nemesis, Topology, TopologyOptions } from './types.js';

export type TopologyKind = 'netns' | 'local';

export interface Lab {
  readonly kind: TopologyKind;
  readonly start: (o: TopologyOptions) => Promise<Topology>;
  readonly nemeses: ReadonlyMap<string, Nemesis>;
}

function byName(list: readonly Nemesis[]): Map<string, Nemesis> {
  return new Map(list.map((n) => [n.name, n]));
}

/** The registry may be a list or a map by name; either way, a map by name. */
function nemesisList(registry: unknown): Nemesis[] {
  if (Array.isArray(registry)) return registry as Nemesis[];
  if (registry instanceof Map) return [...(registry as Map<string, Nemesis>).values()];
  if (typeof registry === 'object' && registry !== null)
    return Object.values(registry) as Nemesis[];
  return [];
}

// Specifiers in variables: the modules may not exist yet on this branch.
const TOPOLOGY_MODULE = './topology/index.js';
const NEMESIS_MODULE = './nemesis/index.js';

async function tryImport(spec: string): Promise<Record<string, unknown> | null> {
  try {
    return (await import(spec)) as Record<string, unknown>;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND') return null;
    throw err;
  }
}

export async function loadLab(kind: TopologyKind): Promise<Lab> {
  if (kind === 'local') {
    return { kind, start: startLocalTopology, nemeses: byName(LOCAL_NEMESES) };
  }
  const topo = await tryImport(TOPOLOGY_MODULE);
  const start = topo?.['startTopology'];
  if (typeof start !== 'function') {
    throw new Error(
      `the namespaced topology (chaos/topology/index.ts: startTopology) is not there; use --topology local`,
    );
  }
  const nem = await tryImport(NEMESIS_MODULE);
  const list = nemesisList(nem?.['NEMESES']);
  return {
    kind,
    start: start as (o: TopologyOptions) => Promise<Topology>,
    nemeses: byName(list.length > 0 ? list : LOCAL_NEMESES),
  };
}
