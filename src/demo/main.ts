/**
 * `make demo`: a local 3-node cluster (etcd + PostgreSQL 15 + patroni-ts + HAProxy) on loopback,
 * in the foreground, explained as it goes; Ctrl-C stops everything in order.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderHaproxyConfig } from './haproxy-config.js';
import { demoLayout, type DemoLayout, type DemoNode } from './layout.js';
import { DEMO_PASSWORDS, renderDemoConfig } from './patroni-config.js';
import {
  canRead,
  getJson,
  httpOk,
  startManaged,
  unprivilegedUser,
  waitFor,
  type Managed,
  type RunAs,
} from './processes.js';
import { watchProgress } from './progress.js';
import { busyPorts } from './preflight.js';
import { killLeftovers, stopDemo } from './shutdown.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// A closed terminal or a pipe whose reader died (`make demo | tee`, then Ctrl-C) must not end the
// demo halfway through stopping its children.
process.stdout.on('error', () => undefined);
const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** Paths as the user would type them from where they ran `make demo`. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') || rel === '' ? path : rel;
}

/** Seconds before a killed daemon is started again: longer than the demo's ttl (20 s). */
const RESTART_DELAY_S = 25;

function chooseStateDir(runAs: RunAs | null): string {
  const local = join(repo, '.demo');
  if (canRead(repo, runAs)) return local;
  // A checkout under /root cannot be entered by `postgres`; keep the state where it can.
  return '/var/tmp/patroni-ts-demo';
}

function chownTree(path: string, runAs: RunAs | null): void {
  if (runAs !== null) spawnSync('chown', ['-R', `${runAs.uid}:${runAs.gid}`, path]);
}

function prepare(layout: DemoLayout, runAs: RunAs | null): void {
  mkdirSync(layout.etcdDir, { recursive: true });
  for (const node of layout.nodes) {
    mkdirSync(node.dir, { recursive: true, mode: 0o700 });
    writeFileSync(node.configPath, renderDemoConfig(layout, node), { mode: 0o600 });
  }
  writeFileSync(
    layout.haproxyConfigPath,
    renderHaproxyConfig({
      bindHost: layout.host,
      readWritePort: layout.readWritePort,
      readOnlyPort: layout.readOnlyPort,
      statsPort: layout.statsPort,
      checkIntervalMs: 1000,
      backends: layout.nodes.map((n) => ({
        name: n.name,
        host: layout.host,
        pgPort: n.pgPort,
        restPort: n.restPort,
      })),
    }),
  );
  chownTree(layout.stateDir, runAs);
  if (runAs !== null) chownSync(layout.stateDir, runAs.uid, runAs.gid);
}

function startEtcd(layout: DemoLayout): Managed {
  const client = `http://${layout.host}:${layout.etcdClientPort}`;
  const peer = `http://${layout.host}:${layout.etcdPeerPort}`;
  return startManaged(
    'etcd',
    'etcd',
    [
      '--name=demo',
      `--data-dir=${join(layout.etcdDir, 'data')}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=demo=${peer}`,
      '--enable-v2=true',
    ],
    join(layout.etcdDir, 'etcd.log'),
    null,
  );
}

function printSummary(layout: DemoLayout, patronictl: string, configPath: string): void {
  const configArg = shown(configPath);
  const ctl = shown(patronictl).startsWith('/') ? patronictl : `./${shown(patronictl)}`;
  const list = spawnSync(patronictl, ['-c', configPath, 'list'], { encoding: 'utf8' });
  const h = layout.host;
  const lines = [
    '',
    list.stdout.trimEnd() || list.stderr.trimEnd(),
    '',
    'The cluster is up. Connect here:',
    `  read-write (the leader):  psql "postgresql://postgres:${DEMO_PASSWORDS.superuser}@${h}:${layout.readWritePort}/postgres"`,
    `  read-only (the replicas): psql "postgresql://postgres:${DEMO_PASSWORDS.superuser}@${h}:${layout.readOnlyPort}/postgres"`,
    `  HAProxy stats:            http://${h}:${layout.statsPort}/`,
    ...layout.nodes.map(
      (n) => `  ${`${n.name} REST API:`.padEnd(25)} http://${h}:${n.restPort}/patroni`,
    ),
    '',
    'Things to try (in another terminal, from this directory):',
    `  ${ctl} -c ${configArg} list`,
    `  ${ctl} -c ${configArg} switchover --force          # move the leader to a replica`,
    `  ${ctl} -c ${configArg} edit-config --pg work_mem=8MB --force   # reaches every node`,
    `  ${ctl} -c ${configArg} restart demo node2 --force  # a rolling restart, one node`,
    '  Kill the leader hard (its daemon and PostgreSQL) and watch a replica take over once the',
    `  leader key expires (ttl 20 s); put the leader's name for LEADER:`,
    `    pkill -9 -f "${shown(layout.stateDir)}/LEADER/" ; watch -n1 ${ctl} -c ${configArg} list`,
    `  (the demo starts a killed daemon again after ${RESTART_DELAY_S} s, as systemd would: it rejoins as a replica)`,
    '',
    `State and logs: ${shown(layout.stateDir)} (node*/patroni.log, etcd/etcd.log, haproxy.log).`,
    'Press Ctrl-C to stop everything.',
  ];
  say(lines.join('\n'));
}

async function main(): Promise<void> {
  const runAs = unprivilegedUser();
  const layout = demoLayout(chooseStateDir(runAs));
  const pidFile = join(layout.stateDir, 'pids');
  const first = layout.nodes[0];
  if (first === undefined) throw new Error('no nodes');
  const resumed = existsSync(join(first.dataDir, 'PG_VERSION'));
  say(
    resumed
      ? `Resuming the demo cluster in ${layout.stateDir} (remove that directory to start afresh).`
      : `Starting a fresh demo cluster in ${layout.stateDir}.`,
  );
  await killLeftovers(layout, pidFile, say);
  const busy = await busyPorts(layout);
  if (busy.length > 0) {
    process.stderr.write(
      `demo: these ports are in use: ${busy.join(', ')}.\n` +
        'Is another demo running (from another checkout)? Stop it with Ctrl-C and try again.\n',
    );
    process.exit(1);
  }
  prepare(layout, runAs);

  const entry = join(repo, 'dist', 'cli', 'patroni.js');
  const daemonUser = canRead(entry, runAs) ? runAs : null;
  const running: Managed[] = [];
  let stopping = false;
  const recordPids = (): void => {
    writeFileSync(pidFile, running.map((m) => String(m.child.pid)).join('\n'));
  };
  const stopAll = async (): Promise<void> => {
    say('\nStopping the demo:');
    await stopDemo(layout, running, say);
    rmSync(pidFile, { force: true });
    say('Stopped. Run `make demo` again to resume this cluster.');
  };
  const onSignal = (): void => {
    if (stopping) return;
    stopping = true;
    void stopAll().then(() => process.exit(0));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  /**
   * Like systemd's Restart=on-failure: a daemon killed by the user comes back, after the leader
   * key it may hold has expired, so the demo shows both the failover and the old node rejoining.
   */
  const startDaemon = (node: DemoNode): void => {
    const managed = startManaged(
      node.name,
      process.execPath,
      [entry, node.configPath],
      node.logPath,
      daemonUser,
    );
    const slot = running.findIndex((m) => m.name === node.name);
    if (slot === -1) running.push(managed);
    else running[slot] = managed;
    recordPids();
    managed.child.once('exit', (code, signal) => {
      if (stopping) return;
      const how = signal === null ? `with code ${String(code)}` : `by ${signal}`;
      say(`! ${node.name}'s daemon ended ${how}; restarting it in ${RESTART_DELAY_S} s`);
      setTimeout(() => {
        if (stopping) return;
        say(`  restarting ${node.name}`);
        startDaemon(node);
      }, RESTART_DELAY_S * 1000).unref();
    });
  };

  try {
    running.push(startEtcd(layout));
    recordPids();
    await waitFor(
      'etcd',
      async () => (await getJson(`http://${layout.host}:${layout.etcdClientPort}/health`)) !== null,
      30_000,
    );
    say(`✓ etcd up on ${layout.host}:${layout.etcdClientPort}`);
    for (const node of layout.nodes) startDaemon(node);
    await watchProgress(layout, say, 240_000);
    running.push(
      startManaged(
        'haproxy',
        'haproxy',
        ['-db', '-f', layout.haproxyConfigPath],
        join(layout.stateDir, 'haproxy.log'),
        null,
      ),
    );
    recordPids();
    await waitFor(
      'HAProxy',
      async () => httpOk(`http://${layout.host}:${layout.statsPort}/`),
      15_000,
    );
    say(
      `✓ HAProxy up: read-write ${layout.host}:${layout.readWritePort}, read-only ${layout.host}:${layout.readOnlyPort}`,
    );
    printSummary(layout, join(repo, 'bin', 'patronictl'), first.configPath);
  } catch (err) {
    stopping = true;
    process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.stderr.write(`logs are in ${layout.stateDir}\n`);
    await stopAll();
    process.exit(1);
  }
}

await main();
