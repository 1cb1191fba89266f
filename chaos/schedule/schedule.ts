import { randomInt, seededRandom } from './prng.js';

/** One fault of a schedule: inject, hold, heal, wait for health, then let it settle. */
export interface ScheduleStep {
  readonly index: number;
  readonly nemesis: string;
  readonly holdMs: number;
  readonly settleMs: number;
  /** Seeds the rng handed to the nemesis (e.g. which replica it cuts off). */
  readonly seed: number;
}

export interface Schedule {
  readonly seed: number;
  readonly steps: readonly ScheduleStep[];
}

export interface ScheduleOptions {
  readonly seed: number;
  readonly faults: number;
  /** Nemesis names, in any order; each gets its share of the faults. */
  readonly nemeses: readonly string[];
  readonly holdMs: readonly [number, number];
  readonly settleMs: readonly [number, number];
}

/**
 * A seeded random schedule. Nemeses come in shuffled rounds, each round using every nemesis once,
 * so that a short schedule still spreads over all of them; hold and settle times are uniform in
 * their ranges. The same options give the same schedule.
 */
export function makeSchedule(o: ScheduleOptions): Schedule {
  if (o.nemeses.length === 0) throw new Error('schedule: no nemeses to choose from');
  if (!Number.isInteger(o.faults) || o.faults < 0) {
    throw new Error(`schedule: faults must be a non-negative integer, not ${o.faults}`);
  }
  const rng = seededRandom(o.seed);
  const names: string[] = [];
  while (names.length < o.faults) names.push(...shuffled(o.nemeses, rng));
  const steps = names.slice(0, o.faults).map((nemesis, index) => ({
    index,
    nemesis,
    holdMs: randomInt(rng, o.holdMs[0], o.holdMs[1]),
    settleMs: randomInt(rng, o.settleMs[0], o.settleMs[1]),
    seed: randomInt(rng, 0, 2 ** 31 - 1),
  }));
  return { seed: o.seed, steps };
}

function shuffled<T>(items: readonly T[], rng: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** The schedule as the runner prints it: the seed to replay it first, then one line per fault. */
export function renderSchedule(s: Schedule): string {
  const lines = [
    `schedule seed ${s.seed} (replay with --seed ${s.seed}), ${s.steps.length} faults`,
  ];
  for (const st of s.steps) {
    lines.push(
      `  #${String(st.index + 1).padStart(3)} ${st.nemesis.padEnd(28)} hold ${(st.holdMs / 1000).toFixed(1)} s, settle ${(st.settleMs / 1000).toFixed(1)} s`,
    );
  }
  return lines.join('\n');
}

/** `3000-20000` or `3000` (ms) from a command-line option. */
export function parseRange(text: string, what: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  if (m === null) throw new Error(`${what}: expected MS or MIN-MAX in ms, got '${text}'`);
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : Number(m[2]);
  if (max < min) throw new Error(`${what}: ${max} is less than ${min}`);
  return [min, max];
}
