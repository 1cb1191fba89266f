/**
 * DCS requests per idle minute of a healthy 3-node cluster, patroni-ts against Patroni 3.0.2 on
 * the same DCS (etcd v3, etcd v2, ZooKeeper). See README.md "Benchmarks".
 *
 *   node --import tsx bench/dcs-idle.ts [--dcs etcd3,etcd,zookeeper] [--profiles default]
 *       [--systems patroni-ts,patroni] [--idle 60]
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { prepareCluster, waitHealthy } from './harness/cluster.js';
import { isDcsKind, startBenchDcs, type DcsKind } from './harness/dcs-server.js';
import { diffCounts } from './harness/etcd-metrics.js';
import { parseProfiles, parseSystems } from './harness/options.js';
import { describeProfile, type Profile } from './harness/profile.js';
import type { System } from './harness/system.js';

const REPO = resolve(fileURLToPath(import.meta.url), '../..');

function log(message: string): void {
  console.error(`[dcs-idle ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

/** Requests per minute the DCS received from one healthy idle cluster, or an error text. */
async function idleRequests(
  system: System,
  profile: Profile,
  dcs: DcsKind,
  idleS: number,
): Promise<number | string> {
  const store = await startBenchDcs(dcs);
  const cluster = await prepareCluster(system, profile, store);
  let failed = false;
  try {
    cluster.startAll();
    const leader = await waitHealthy(cluster, 240_000);
    log(`${dcs} ${system.label}: healthy, leader ${leader.name}`);
    await sleep((profile.loopWait + 5) * 1000);
    const before = await store.requests();
    const started = performance.now();
    await sleep(idleS * 1000);
    const after = await store.requests();
    const minutes = (performance.now() - started) / 60_000;
    // Still healthy: an idle minute with a failover in it would not be an idle minute.
    await waitHealthy(cluster, 1000);
    const diff = [...diffCounts(before, after)].filter(([, n]) => n > 0);
    const perMinute = (n: number): string => (n / minutes).toFixed(1);
    log(
      `${dcs} ${system.label}: per minute ${diff.map(([k, n]) => `${k} ${perMinute(n)}`).join(', ')}`,
    );
    return diff.reduce((a, [, n]) => a + n, 0) / minutes;
  } catch (error) {
    failed = true;
    const text = error instanceof Error ? error.message : String(error);
    log(`${dcs} ${system.label}: failed: ${text} (logs in ${cluster.dir})`);
    return `failed: ${text}`;
  } finally {
    await cluster.stop(failed || process.env['KEEP_BENCH_DIRS'] !== undefined);
  }
}

function cell(v: number | string | undefined): string {
  return typeof v === 'number' ? v.toFixed(0) : (v ?? '-');
}

function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dcs: { type: 'string', default: 'etcd3,etcd,zookeeper' },
      profiles: { type: 'string', default: 'default' },
      systems: { type: 'string', default: 'patroni-ts,patroni' },
      idle: { type: 'string', default: '60' },
    },
  });
  const kinds = values.dcs.split(',').map((name) => {
    if (!isDcsKind(name)) throw new Error(`--dcs: unknown DCS ${name} (etcd3, etcd, zookeeper)`);
    return name;
  });
  const profiles = parseProfiles(values.profiles);
  const systems = parseSystems(values.systems, REPO, log);
  const idleS = Number(values.idle);
  if (!(idleS > 0)) throw new Error('--idle: not a positive number of seconds');
  return run(kinds, profiles, systems, idleS);
}

async function run(
  kinds: readonly DcsKind[],
  profiles: readonly Profile[],
  systems: readonly System[],
  idleS: number,
): Promise<void> {
  const commit = execFileSync('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD'], {
    encoding: 'utf8',
  }).trim();
  const rows: string[] = [];
  for (const profile of profiles) {
    for (const dcs of kinds) {
      const got = new Map<string, number | string>();
      for (const system of systems) {
        log(`${describeProfile(profile)}, ${dcs}: ${system.label}`);
        got.set(system.name, await idleRequests(system, profile, dcs, idleS));
      }
      const ours = got.get('patroni-ts');
      const theirs = got.get('patroni');
      const ratio =
        typeof ours === 'number' && typeof theirs === 'number' && theirs > 0 ? ours / theirs : null;
      rows.push(
        [
          dcs.padEnd(9),
          profile.name.padEnd(7),
          cell(ours).padStart(10),
          cell(theirs).padStart(13),
          (ratio === null ? '-' : ratio.toFixed(2)).padStart(5),
          `<= 1 ${ratio === null ? '' : ratio <= 1 ? 'met' : 'MISSED'}`,
        ].join(' | '),
      );
    }
  }
  console.log(
    [
      `DCS requests per idle minute (whole cluster, 3 nodes), N=1, ${new Date().toISOString()}, patroni-ts ${commit}`,
      'DCS       | profile | patroni-ts | Patroni 3.0.2 | ratio | target',
      '----------|---------|------------|---------------|-------|-------',
      ...rows,
    ].join('\n'),
  );
}

await main();
