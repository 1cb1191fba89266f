/**
 * Side-by-side benchmark of patroni-ts and Patroni 3.0.2 on fresh 3-node clusters (real etcd,
 * real PostgreSQL 15). See README.md "Benchmarks".
 *
 *   node --import tsx bench/run.ts [--runs 3] [--profiles default,fast]
 *       [--systems patroni-ts,patroni] [--modes async,sync] [--scenarios idle,rest,switchover,failover]
 *       [--idle 60] [--rest-duration 3] [--rest-connections 8] [--out bench/results]
 * One table per profile and mode; `--modes sync` bootstraps with synchronous_mode: true.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { TestCluster, TestNode } from '../test/support/cluster.js';
import { PG_BIN_DIR, prepareCluster, waitHealthy } from './harness/cluster.js';
import { startBenchDcs } from './harness/dcs-server.js';
import {
  describeMode,
  parseModes,
  parseProfiles,
  parseScenarios,
  parseSystems,
  type ReplicationMode,
  type Scenario,
} from './harness/options.js';
import { describeProfile, type Profile } from './harness/profile.js';
import { Samples } from './harness/samples.js';
import type { System } from './harness/system.js';
import { waitSyncStandby } from './harness/sync-standby.js';
import { renderTable } from './harness/table.js';
import { bootstrap } from './scenarios/bootstrap.js';
import { failover } from './scenarios/failover.js';
import { restLoad, type RestOptions } from './scenarios/rest.js';
import { steadyState } from './scenarios/steady.js';
import { switchover } from './scenarios/switchover.js';

const REPO = resolve(fileURLToPath(import.meta.url), '../..');

interface Options {
  readonly runs: number;
  readonly profiles: readonly Profile[];
  readonly systems: readonly System[];
  readonly modes: readonly ReplicationMode[];
  readonly scenarios: ReadonlySet<Scenario>;
  readonly idleS: number;
  readonly rest: RestOptions;
  readonly out: string;
}

function log(message: string): void {
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * In synchronous mode, waits for the leader's synchronous standby (a kill before it is named
 * would test asynchronous replication); returns its name, or null in asynchronous mode.
 */
async function syncReady(
  mode: ReplicationMode,
  system: System,
  cluster: TestCluster,
  leader: TestNode,
): Promise<string | null> {
  if (mode !== 'sync') return null;
  const started = performance.now();
  const standby = await waitSyncStandby(cluster, leader, 120_000);
  const s = ((performance.now() - started) / 1000).toFixed(1);
  log(`${system.label}: ${standby} is ${leader.name}'s synchronous standby (waited ${s} s)`);
  return standby;
}

/** One fresh cluster of one system: the chosen scenarios in order, each failure recorded, not fatal. */
async function oneRun(
  system: System,
  profile: Profile,
  mode: ReplicationMode,
  o: Options,
  samples: Samples,
): Promise<void> {
  const cluster = await prepareCluster(system, profile, await startBenchDcs('etcd3'), mode);
  let failed = false;
  try {
    let leader = await bootstrap(cluster, samples);
    log(`${system.label}: bootstrapped, leader ${leader.name}`);
    await sleep((profile.loopWait + 5) * 1000);
    if (o.scenarios.has('idle')) await steadyState(cluster, samples, o.idleS);
    if (o.scenarios.has('rest')) await restLoad(cluster, leader, samples, o.rest);
    if (o.scenarios.has('switchover')) {
      try {
        await syncReady(mode, system, cluster, leader);
        leader = await switchover(system, cluster, leader, samples);
        log(`${system.label}: switched over to ${leader.name}`);
      } catch (error) {
        for (const figure of ['switchover.gap', 'switchover.command', 'switchover.healthy']) {
          samples.fail(figure, errorText(error));
        }
        log(`${system.label}: switchover failed: ${errorText(error)}`);
        leader = await waitHealthy(cluster, 120_000);
      }
    }
    if (o.scenarios.has('failover')) {
      const standby = await syncReady(mode, system, cluster, leader);
      const next = await failover(cluster, leader, samples, profile);
      log(
        `${system.label}: failover to ${next.name}` +
          (standby === null ? '' : ` (the synchronous standby was ${standby})`) +
          ' and rejoin done',
      );
    }
  } catch (error) {
    samples.fail('run', errorText(error));
    log(`${system.label}: run failed: ${errorText(error)} (logs in ${cluster.dir})`);
    failed = true;
  } finally {
    const keep = failed || process.env['KEEP_BENCH_DIRS'] !== undefined;
    await cluster.stop(keep);
    if (keep && !failed) log(`${system.label}: data directories and logs kept in ${cluster.dir}`);
  }
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: process.env['BENCH_RUNS'] ?? '3' },
      profiles: { type: 'string', default: process.env['BENCH_PROFILES'] ?? 'default,fast' },
      systems: { type: 'string', default: process.env['BENCH_SYSTEMS'] ?? 'patroni-ts,patroni' },
      modes: { type: 'string', default: 'async' },
      scenarios: { type: 'string', default: 'idle,rest,switchover,failover' },
      idle: { type: 'string', default: '60' },
      'rest-duration': { type: 'string', default: '3' },
      'rest-connections': { type: 'string', default: '8' },
      out: { type: 'string', default: join(REPO, 'bench', 'results') },
    },
  });
  const profiles = parseProfiles(values.profiles);
  const systems = parseSystems(values.systems, REPO, log);
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: not a positive integer`);
  return {
    runs,
    profiles,
    systems,
    modes: parseModes(values.modes),
    scenarios: parseScenarios(values.scenarios),
    idleS: Number(values.idle),
    rest: {
      durationS: Number(values['rest-duration']),
      connections: Number(values['rest-connections']),
    },
    out: values.out,
  };
}

function versions(): string {
  const run = (cmd: string, args: string[]): string => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
    } catch {
      return '?';
    }
  };
  const commit = run('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD']);
  const pg = run(join(PG_BIN_DIR, 'postgres'), ['--version']);
  const etcd = run('etcd', ['--version']).split('\n')[0] ?? '?';
  return `patroni-ts ${commit}, node ${process.version}, ${pg}, ${etcd}`;
}

async function main(): Promise<void> {
  const o = parseOptions();
  const machine = `${cpus().length} x ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GB RAM; ${versions()}`;
  await mkdir(o.out, { recursive: true });
  for (const profile of o.profiles) {
    for (const mode of o.modes) {
      const results = new Map(o.systems.map((s) => [s.name, new Samples()]));
      // Systems alternate run by run so that noise on a shared machine hits both alike.
      for (let i = 1; i <= o.runs; i++) {
        for (const system of o.systems) {
          log(`profile ${profile.name}, ${mode}, run ${i}/${o.runs}: ${system.label}`);
          await oneRun(system, profile, mode, o, results.get(system.name) ?? new Samples());
        }
      }
      const title = `Profile ${describeProfile(profile)}, ${describeMode(mode)}, N=${o.runs}, ${new Date().toISOString()}, ${machine}`;
      // A run that failed outside a figure (bootstrap, the synchronous standby never named)
      // leaves fewer samples than N: said under the table, not hidden by it.
      const failedRuns = o.systems.flatMap((s) =>
        (results.get(s.name)?.failuresOf('run') ?? []).map(
          (r) => `\nrun failed (${s.label}): ${r}`,
        ),
      );
      const table = `${title}\n${renderTable(o.systems, results)}${failedRuns.join('')}`;
      console.log(`\n${table}\n`);
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const name = `${profile.name}-${mode}-${stamp}`;
      await writeFile(join(o.out, `${name}.txt`), `${table}\n`);
      await writeFile(
        join(o.out, `${name}.json`),
        JSON.stringify(
          {
            profile,
            mode,
            scenarios: [...o.scenarios],
            runs: o.runs,
            machine,
            results: Object.fromEntries(results),
          },
          null,
          2,
        ),
      );
    }
  }
}

await main();
