/**
 * Prints the table of a results file again (after a change to how tables are drawn), without
 * running anything:  node --import tsx bench/render.ts bench/results/default-<stamp>.json
 */
import { readFile } from 'node:fs/promises';
import { describeMode, type ReplicationMode } from './harness/options.js';
import { describeProfile, type Profile } from './harness/profile.js';
import { Samples } from './harness/samples.js';
import { debianPatroni, patroniTs, type System } from './harness/system.js';
import { renderTable } from './harness/table.js';

interface ResultsFile {
  readonly profile: Profile;
  /** Absent in files written before `--modes`: those ran asynchronously. */
  readonly mode?: ReplicationMode;
  readonly runs: number;
  readonly machine: string;
  readonly results: Readonly<Record<string, Parameters<typeof Samples.fromJSON>[0]>>;
}

for (const path of process.argv.slice(2)) {
  const file = JSON.parse(await readFile(path, 'utf8')) as ResultsFile;
  const systems: System[] = [patroniTs('.'), debianPatroni()].filter(
    (s) => file.results[s.name] !== undefined,
  );
  const results = new Map(
    systems.map((s) => [s.name, Samples.fromJSON(file.results[s.name] ?? {})]),
  );
  const stamp = /\d{4}-\d\d-\d\dT[\d-]+Z/.exec(path)?.[0] ?? '?';
  console.log(
    `Profile ${describeProfile(file.profile)}, ${describeMode(file.mode ?? 'async')}, N=${file.runs}, ${stamp}, ${file.machine}`,
  );
  console.log(renderTable(systems, results));
}
