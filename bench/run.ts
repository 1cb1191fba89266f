/**
 * Side-by-side benchmark of patroni-ts and Patroni 3.0.2 on fresh 3-node clusters (real etcd,
 * real PostgreSQL 15). See README.md "Benchmarks".
 *
 *   node --import tsx bench/run.ts [--runs 3] [--profiles default,fast]
 *       [--systems patroni-ts,patroni] [--idle 60] [--rest-duration 3] [--rest-connections 8]
 *       [--out bench/results]
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { PG_BIN_DIR, prepareCluster, waitHealthy } from './harness/cluster.js';
import { startBenchDcs } from './harness/dcs-server.js';
import { parseProfiles, parseSystems } from './harness/options.js';
import { describeProfile, type Profile } from './harness/profile.js';
import { Samples } from './harness/samples.js';
import type { System } from './harness/system.js';
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

/** One fresh cluster of one system: every scenario in order, each failure recorded, not fatal. */
async function oneRun(
  system: System,
  profile: Profile,
  o: Options,
  samples: Samples,
): Promise<void> {
  const cluster = await prepareCluster(system, profile, await startBenchDcs('etcd3'));
  let failed = false;
  try {
    let leader = await bootstrap(cluster, samples);
    log(`${system.label}: bootstrapped, leader ${leader.name}`);
    await sleep((profile.loopWait + 5) * 1000);
    await steadyState(cluster, samples, o.idleS);
    await restLoad(cluster, leader, samples, o.rest);
    try {
      leader = await switchover(system, cluster, leader, samples);
      log(`${system.label}: switched over to ${leader.name}`);
    } catch (error) {
      for (const figure of ['switchover.gap', 'switchover.command', 'switchover.healthy']) {
        samples.fail(figure, errorText(error));
      }
      log(`${system.label}: switchover failed: ${errorText(error)}`);
      leader = await waitHealthy(cluster, 120_000);
    }
    await failover(cluster, leader, samples, profile);
    log(`${system.label}: failover and rejoin done`);
  } catch (error) {
    samples.fail('run', errorText(error));
    log(`${system.label}: run failed: ${errorText(error)} (logs in ${cluster.dir})`);
    failed = true;
  } finally {
    await cluster.stop(failed || process.env['KEEP_BENCH_DIRS'] !== undefined);
  }
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: process.env['BENCH_RUNS'] ?? '3' },
      profiles: { type: 'string', default: process.env['BENCH_PROFILES'] ?? 'default,fast' },
      systems: { type: 'string', default: process.env['BENCH_SYSTEMS'] ?? 'patroni-ts,patroni' },
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
    const results = new Map(o.systems.map((s) => [s.name, new Samples()]));
    // Systems alternate run by run so that noise on a shared machine hits both alike.
    for (let i = 1; i <= o.runs; i++) {
      for (const system of o.systems) {
        log(`profile ${profile.name}, run ${i}/${o.runs}: ${system.label}`);
        await oneRun(system, profile, o, results.get(system.name) ?? new Samples());
      }
    }
    const title = `Profile ${describeProfile(profile)}, N=${o.runs}, ${new Date().toISOString()}, ${machine}`;
    const table = `${title}\n${renderTable(o.systems, results)}`;
    console.log(`\n${table}\n`);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    await writeFile(join(o.out, `${profile.name}-${stamp}.txt`), `${table}\n`);
    await writeFile(
      join(o.out, `${profile.name}-${stamp}.json`),
      JSON.stringify(
        { profile, runs: o.runs, machine, results: Object.fromEntries(results) },
        null,
        2,
      ),
    );
  }
}

await main();
