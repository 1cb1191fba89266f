/**
 * Start-up time of the built executables: how long `patroni --version` and `patronictl --help`
 * take (wall and CPU), and how long a daemon takes from its spawn to its first log line and to
 * its REST API answering, against a real etcd. After a kill -9 of a leader's daemon, the
 * restarted daemon can only demote its PostgreSQL once it is up: this time is split brain.
 *
 *   node --import tsx bench/startup.ts [--runs 10] [--only version,ctl,daemon] [--tsc] [--reference]
 *
 * bin/patroni and bin/patronictl run the one-file bundle when it is fresh (scripts/bundle.ts).
 * --tsc measures tsc's output (dist/cli, ~600 modules) too, with the launchers' node flags, so
 * both compare under the same load; --reference measures Debian's Patroni 3.0.2 too.
 * Figures are medians (min-max) over the runs; on a loaded host read them as relative only.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, writeFile, chown, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { loadavg } from 'node:os';
import { stringify } from 'yaml';
import { startEtcd, type EtcdHandle } from '../test/support/etcd.js';
import { rawEtcd } from '../test/support/etcd-raw.js';
import { nodeConfigDoc } from '../test/support/node-config.js';
import { postgresOwner, type OsUser } from '../test/support/os-user.js';
import { freePorts } from '../test/support/ports.js';
import { makeTempDir, removeTempDir } from '../test/support/tmpdir.js';

const REPO = resolve(fileURLToPath(import.meta.url), '../..');
/** The command lines (program and first arguments) of each system's two executables. */
interface Bins {
  readonly patroni: readonly string[];
  readonly patronictl: readonly string[];
}
const OURS: Bins = {
  patroni: [join(REPO, 'bin/patroni')],
  patronictl: [join(REPO, 'bin/patronictl')],
};
const TSC: Bins = {
  patroni: [process.execPath, '--max-semi-space-size=1', join(REPO, 'dist/cli/patroni.js')],
  patronictl: [process.execPath, join(REPO, 'dist/cli/patronictl.js')],
};
const DEBIAN: Bins = { patroni: ['/usr/bin/patroni'], patronictl: ['/usr/bin/patronictl'] };
const run = promisify(execFile);
/** Clock ticks per second of /proc/<pid>/stat (USER_HZ is 100 on every Linux we run on). */
const TICK_MS = 10;

interface Figure {
  readonly label: string;
  readonly unit: string;
  readonly values: number[];
}

function figure(label: string, unit = 'ms'): Figure {
  return { label, unit, values: [] };
}

function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

function render(figures: readonly Figure[]): string {
  const width = Math.max(...figures.map((f) => f.label.length));
  return figures
    .map((f) => {
      const s = [...f.values].sort((a, b) => a - b);
      if (s.length === 0) return `${f.label.padEnd(width)}  (no samples)`;
      const fmt = (n: number): string => String(Math.round(n)).padStart(6);
      return (
        `${f.label.padEnd(width)}  median ${fmt(median(s))} ${f.unit}` +
        `  min ${fmt(s[0] ?? NaN)}  max ${fmt(s[s.length - 1] ?? NaN)}  (n=${s.length})`
      );
    })
    .join('\n');
}

/** Wall and user+sys CPU of one run of a one-shot command, through GNU time. */
async function timeOnce(
  command: readonly string[],
  args: readonly string[],
  scratch: string,
): Promise<{ wallMs: number; cpuMs: number }> {
  const out = join(scratch, 'time.out');
  await run('/usr/bin/time', ['-o', out, '-f', '%e %U %S', ...command, ...args], {
    timeout: 120_000,
  });
  const [wall = NaN, user = NaN, sys = NaN] = (await readFile(out, 'utf8'))
    .trim()
    .split('\n')
    .pop()!
    .split(' ')
    .map(Number);
  return { wallMs: wall * 1000, cpuMs: (user + sys) * 1000 };
}

/** One measured command: its figures, and one run that adds a sample to each (unless warming). */
interface Task {
  readonly figures: readonly Figure[];
  once(i: number, count: boolean): Promise<void>;
}

function oneShot(
  name: string,
  command: readonly string[],
  args: readonly string[],
  scratch: string,
): Task {
  const wall = figure(`${name} wall`);
  const cpu = figure(`${name} user+sys`);
  return {
    figures: [wall, cpu],
    async once(_i, count) {
      const t = await timeOnce(command, args, scratch);
      if (!count) return;
      wall.values.push(t.wallMs);
      cpu.values.push(t.cpuMs);
    },
  };
}

function cpuOfPid(pid: number): number {
  // Fields after the command name (which may hold spaces): utime is the 12th, stime the 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) * TICK_MS;
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(500) });
    return true; // any status: the API is up
  } catch {
    return false;
  }
}

interface DaemonRun {
  readonly firstLogMs: number;
  readonly restMs: number;
  readonly cpuAtRestMs: number;
}

/**
 * One daemon start. The DCS already holds the cluster's initialize key and no leader, and the
 * data directory is empty, so the daemon only waits for a leader: no initdb competes for CPU.
 */
async function daemonOnce(
  command: readonly string[],
  etcd: EtcdHandle,
  dir: string,
  owner: OsUser | null,
  i: number,
): Promise<DaemonRun> {
  const [restPort = 0, pgPort = 0] = await freePorts(2);
  const scope = `startup-${process.pid}-${i}`;
  const node = { name: 'n1', host: '127.0.0.1', pgPort, restPort, dir, dataDir: join(dir, 'data') };
  const doc = nodeConfigDoc({ scope, node, dcsSection: { etcd3: { hosts: etcd.hostPort } } }, {});
  const configPath = join(dir, `patroni-${i}.yml`);
  await writeFile(configPath, stringify(doc, { version: '1.1' }), { mode: 0o600 });
  if (owner !== null) await chown(configPath, owner.uid, owner.gid);
  await rawEtcd(etcd.endpoint).put(`/service/${scope}/initialize`, '7000000000000000000');

  const started = performance.now();
  const [program = '', ...programArgs] = command;
  const child = spawn(program, [...programArgs, configPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOME: dir },
    ...(owner === null ? {} : { uid: owner.uid, gid: owner.gid }),
  });
  const exited = new Promise<void>((r) =>
    child.once('exit', () => {
      r();
    }),
  );
  let firstLogMs = NaN;
  let log = '';
  const onData = (chunk: Buffer): void => {
    if (Number.isNaN(firstLogMs)) firstLogMs = performance.now() - started;
    log += chunk.toString();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  try {
    const deadline = started + 120_000;
    const url = `http://127.0.0.1:${restPort}/liveness`;
    let restMs = NaN;
    let cpuAtRestMs = NaN;
    // The API may answer before the first log line (or after): wait for both.
    while (Number.isNaN(restMs) || Number.isNaN(firstLogMs)) {
      if (child.exitCode !== null) throw new Error(`the daemon exited early:\n${log}`);
      if (performance.now() > deadline) throw new Error(`not up after 120 s:\n${log}`);
      if (Number.isNaN(restMs) && (await answers(url))) {
        restMs = performance.now() - started;
        cpuAtRestMs = child.pid === undefined ? NaN : cpuOfPid(child.pid);
      } else {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    return { firstLogMs, restMs, cpuAtRestMs };
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

async function daemon(
  name: string,
  command: readonly string[],
  etcd: EtcdHandle,
  scratch: string,
): Promise<Task> {
  const owner = postgresOwner();
  const dir = join(scratch, name.replace(/\W+/g, '-'));
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // As root our daemon runs as postgres when that user can read the build (as the tests do).
  let runAs = owner;
  if (owner !== null) {
    await chown(dir, owner.uid, owner.gid);
    if (command !== DEBIAN.patroni && !readableBy(owner)) runAs = null;
  }
  const first = figure(`${name} spawn -> first log line`);
  const rest = figure(`${name} spawn -> REST API answers`);
  const cpu = figure(`${name} CPU until REST API answers`);
  return {
    figures: [first, rest, cpu],
    async once(i, count) {
      const r = await daemonOnce(command, etcd, dir, runAs, i);
      if (!count) return;
      first.values.push(r.firstLogMs);
      rest.values.push(r.restMs);
      cpu.values.push(r.cpuAtRestMs);
    },
  };
}

/** Whether `owner` can read the build (root's access() would always say yes: ask as owner). */
function readableBy(owner: OsUser): boolean {
  const entry = join(REPO, 'dist/cli/patroni.js');
  const asOwner = [`--reuid=${owner.uid}`, `--regid=${owner.gid}`, '--clear-groups', '--'];
  return spawnSync('setpriv', [...asOwner, 'test', '-r', entry]).status === 0;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '10' },
      only: { type: 'string', default: 'version,ctl,daemon' },
      tsc: { type: 'boolean', default: false },
      reference: { type: 'boolean', default: false },
    },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`--runs: a whole number >= 1, got ${values.runs}`);
  const only = new Set(values.only.split(','));
  const systems = [{ label: 'patroni-ts', bins: OURS }];
  if (values.tsc) systems.push({ label: 'patroni-ts tsc', bins: TSC });
  if (values.reference) systems.push({ label: 'Patroni 3.0.2', bins: DEBIAN });

  const scratch = await makeTempDir('patroni-ts-startup-');
  const etcd = only.has('daemon') ? await startEtcd() : null;
  const tasks: Task[] = [];
  try {
    for (const s of systems) {
      if (only.has('version')) {
        tasks.push(oneShot(`${s.label} patroni --version`, s.bins.patroni, ['--version'], scratch));
      }
      if (only.has('ctl')) {
        tasks.push(oneShot(`${s.label} patronictl --help`, s.bins.patronictl, ['--help'], scratch));
        tasks.push(
          oneShot(`${s.label} patronictl version`, s.bins.patronictl, ['version'], scratch),
        );
      }
      if (etcd !== null)
        tasks.push(await daemon(`${s.label} daemon`, s.bins.patroni, etcd, scratch));
    }
    // Run by run, every command in turn: the host's load drifts, and this way each system
    // meets the same drift (one warm-up run first fills the page cache, not counted).
    for (let i = -1; i < runs; i++) {
      for (const task of tasks) await task.once(i, i >= 0);
    }
  } finally {
    await etcd?.destroy();
    await removeTempDir(scratch);
  }
  const figures = tasks.flatMap((t) => t.figures);
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  process.stdout.write(`startup: ${runs} runs each, load average at the end ${load}\n`);
  process.stdout.write(`${render(figures)}\n`);
}

await main();
