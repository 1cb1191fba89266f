/**
 * `make chaos`: the fault suite. One seeded schedule, run against each system (ours, Patroni
 * 3.0.2) in each mode (async, sync), one fresh topology at a time; then the results table.
 *   node --import tsx chaos/run.ts [--seed N] [--faults N] [--systems a,b] [--modes a,b]
 *     [--nemeses a,b] [--hold MIN-MAX] [--settle MIN-MAX] [--deadline MS] [--topology netns|local]
 *     [--out DIR] [--wal-tmpfs-mb N] [--timing TTL/LOOP_WAIT/RETRY_TIMEOUT] [--keep] [--help]
 * `--timing` is the bootstrap DCS timing every system gets (default 20/2/5; the fast-failover
 * profile `lease` is 6/1/2).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { destroyActive, runColumn } from './column.js';
import { loadLab, type TopologyKind } from './registry.js';
import type { ColumnResult } from './report/types.js';
import { writeReport } from './report/write.js';
import { newSeed } from './schedule/prng.js';
import { makeSchedule, parseRange, renderSchedule } from './schedule/schedule.js';
import type { ReplicationMode, SystemUnderTest } from './types.js';

const SYSTEMS: readonly SystemUnderTest[] = ['patroni-ts', 'patroni'];
const MODES: readonly ReplicationMode[] = ['async', 'sync'];

function listOf<T extends string>(text: string, allowed: readonly T[], what: string): T[] {
  const items = text
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
  for (const i of items) {
    if (!(allowed as readonly string[]).includes(i)) {
      throw new Error(`${what}: unknown '${i}' (one of ${allowed.join(', ')})`);
    }
  }
  return items as T[];
}

function intOption(text: string, what: string): number {
  if (!/^\d+$/.test(text)) throw new Error(`${what}: expected a whole number, got '${text}'`);
  return Number(text);
}

const USAGE = `usage: make chaos CHAOS_ARGS="[options]"   (or: node --import tsx chaos/run.ts [options])
  --seed N              replay a schedule (printed by every run)
  --faults N            faults per column (default 25)
  --systems a,b         ${SYSTEMS.join(', ')} (default both)
  --modes a,b           ${MODES.join(', ')} (default both)
  --nemeses a,b         only these nemeses (default all)
  --hold MIN-MAX        how long a fault is held, ms (default 3000-25000)
  --settle MIN-MAX      pause after recovery, ms (default 1000-3000)
  --deadline MS         recovery deadline before a fault counts as needing a human (default 60000)
  --timing T/L/R        ttl/loop_wait/retry_timeout in seconds (default 20/2/5)
  --topology netns|local, --out DIR, --wal-tmpfs-mb N, --keep (keep the topology's files)`;

/** `6/1/2` -> ttl 6, loop_wait 1, retry_timeout 2. */
function parseTiming(text: string): { ttl: number; loopWait: number; retryTimeout: number } {
  const parts = text.split('/');
  if (parts.length !== 3) {
    throw new Error(`--timing: expected TTL/LOOP_WAIT/RETRY_TIMEOUT in seconds, got '${text}'`);
  }
  const [ttl, loopWait, retryTimeout] = parts.map((p) => intOption(p, '--timing'));
  return { ttl: ttl ?? 20, loopWait: loopWait ?? 2, retryTimeout: retryTimeout ?? 5 };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string' },
      faults: { type: 'string', default: '25' },
      systems: { type: 'string', default: SYSTEMS.join(',') },
      modes: { type: 'string', default: MODES.join(',') },
      nemeses: { type: 'string' },
      hold: { type: 'string', default: '3000-25000' },
      settle: { type: 'string', default: '1000-3000' },
      deadline: { type: 'string', default: '60000' },
      topology: { type: 'string', default: 'netns' },
      out: { type: 'string', default: 'chaos/results' },
      'wal-tmpfs-mb': { type: 'string', default: '1024' },
      timing: { type: 'string', default: '20/2/5' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const timing = parseTiming(values.timing);
  const kind =
    listOf<TopologyKind>(values.topology, ['netns', 'local'], '--topology')[0] ?? 'netns';
  const lab = loadLab(kind);
  const nemeses =
    values.nemeses === undefined
      ? [...lab.nemeses.keys()]
      : listOf(values.nemeses, [...lab.nemeses.keys()], '--nemeses');
  const seed = values.seed === undefined ? newSeed() : intOption(values.seed, '--seed');
  const schedule = makeSchedule({
    seed,
    faults: intOption(values.faults, '--faults'),
    nemeses,
    holdMs: parseRange(values.hold, '--hold'),
    settleMs: parseRange(values.settle, '--settle'),
  });
  const systems = listOf(values.systems, SYSTEMS, '--systems');
  const modes = listOf(values.modes, MODES, '--modes');
  const scheduleText = renderSchedule(schedule);
  process.stdout.write(`${scheduleText}\n`);
  process.stdout.write(
    `columns: ${modes.flatMap((m) => systems.map((s) => `${s}/${m}`)).join(', ')}; ${schedule.steps.length * modes.length * systems.length} faults in all, one topology at a time\n`,
  );
  const columns: ColumnResult[] = [];
  const failures: string[] = [];
  // The full-disk nemesis needs pg_wal on a small tmpfs; then every column gets one, alike.
  const walTmpfsMb = nemeses.includes('wal-disk-full')
    ? intOption(values['wal-tmpfs-mb'], '--wal-tmpfs-mb')
    : undefined;
  // Modes outside, systems inside: ours and Patroni run the same schedule back to back, so a
  // change in the machine's load over the run hits both alike.
  for (const mode of modes) {
    for (const system of systems) {
      try {
        columns.push(
          await runColumn({
            topology: {
              system,
              mode,
              ...timing,
              keep: values.keep,
              ...(walTmpfsMb === undefined ? {} : { walTmpfsMb }),
            },
            start: lab.start,
            topologyName: lab.kind,
            schedule,
            // Stand-ins for a fault that cannot run come from the chosen nemeses only.
            nemeses: new Map([...lab.nemeses].filter(([n]) => nemeses.includes(n))),
            recoveryDeadlineMs: intOption(values.deadline, '--deadline'),
          }),
        );
      } catch (err) {
        // One column's broken lab must not cost the other columns' half hour.
        const text = `${system}/${mode}: ${err instanceof Error ? err.message : String(err)}`;
        process.stderr.write(`chaos: column failed: ${text}\n`);
        failures.push(text);
      }
    }
  }
  const out = await writeReport(resolve(values.out), columns, schedule, scheduleText, failures);
  process.stdout.write(`\n${out.markdown}\nwritten: ${out.mdPath}\n         ${out.jsonPath}\n`);
  if (failures.length > 0) process.exitCode = 1;
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    process.stderr.write(`chaos: ${sig}: tearing the topology down\n`);
    void destroyActive().finally(() => process.exit(130));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(
    `chaos: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
