/**
 * Injecting one scheduled fault, with a stand-in when it cannot be: a run of N faults then has N
 * faults, and the report names each fault that could not run, why, and what ran instead.
 */
import { seededRandom } from './schedule/prng.js';
import type { FaultHandle, Nemesis, Topology } from './types.js';
import { errorText } from './workload/pg.js';

/** How many other nemeses are tried, in a seeded order, before the step is given up. */
const STAND_INS = 3;

export interface NotInjected {
  readonly nemesis: string;
  readonly reason: string;
}

export interface Injection {
  /** The nemesis that was injected (the scheduled one, or a stand-in), null when none could be. */
  readonly nemesis: Nemesis | null;
  readonly handle: FaultHandle | null;
  /** When the fault's clock started: after the nemesis's `prepare`, right before its `inject`. */
  readonly at: number;
  /** The scheduled nemesis first, then the stand-ins tried, that could not be injected. */
  readonly failed: readonly NotInjected[];
}

/**
 * Prepares and injects the scheduled nemesis; when that fails, up to three others in an order
 * drawn from the step's seed (so a replay picks the same stand-ins).
 */
export async function injectWithStandIn(
  t: Topology,
  scheduled: string,
  seed: number,
  nemeses: ReadonlyMap<string, Nemesis>,
  now: () => number,
): Promise<Injection> {
  const failed: NotInjected[] = [];
  const order = [scheduled, ...standIns(scheduled, seed, [...nemeses.keys()])];
  for (const name of order) {
    const nemesis = nemeses.get(name);
    if (nemesis === undefined) {
      failed.push({ nemesis: name, reason: `no nemesis named ${name}` });
      continue;
    }
    try {
      await nemesis.prepare?.(t);
      const at = now();
      const handle = await nemesis.inject(t, seededRandom(seed));
      return { nemesis, handle, at, failed };
    } catch (err) {
      failed.push({ nemesis: name, reason: errorText(err) });
    }
  }
  return { nemesis: null, handle: null, at: now(), failed };
}

/** Up to three names other than `scheduled`, shuffled by a generator seeded from the step. */
export function standIns(scheduled: string, seed: number, names: readonly string[]): string[] {
  const rng = seededRandom(seed ^ 0x5eed);
  const left = names.filter((n) => n !== scheduled).sort();
  const out: string[] = [];
  while (out.length < STAND_INS && left.length > 0) {
    out.push(...left.splice(Math.floor(rng() * left.length) % left.length, 1));
  }
  return out;
}
