/**
 * `make demo`: a local 3-node cluster (etcd + PostgreSQL 15 + patroni-ts + HAProxy) on loopback,
 * in the foreground, explained as it goes; Ctrl-C stops everything in order.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderHaproxyConfig } from './haproxy-config.js';
import { demoLayout, type DemoLayout } from './layout.js';
import { DEMO_PASSWORDS, renderDemoConfig } from './patroni-config.js';
import {
  canRead,
  getJson,
  startManaged,
  unprivilegedUser,
  waitFor,
  type Managed,
  type RunAs,
} from './processes.js';
import { watchProgress } from './progress.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

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

/** A demo killed with SIGKILL leaves children behind; end them before starting new ones. */
function killLeftovers(pidFile: string): void {
  if (!existsSync(pidFile)) return;
  for (const pid of readFileSync(pidFile, 'utf8').split(/\s+/).filter(Boolean)) {
    try {
      process.kill(-Number(pid), 'SIGKILL');
    } catch {
      // already gone
    }
  }
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

function printSummary(layout: DemoLayout, patronictl: string, configArg: string): void {
  const list = spawnSync(patronictl, ['-c', configArg, 'list'], { encoding: 'utf8' });
  const h = layout.host;
  const lines = [
    '',
    list.stdout.trimEnd() || list.stderr.trimEnd(),
    '',
    'The cluster is up. Connect here:',
    `  read-write (the leader):  psql "postgresql://postgres:${DEMO_PASSWORDS.superuser}@${h}:${layout.readWritePort}/postgres"`,
    `  read-only (the replicas): psql "postgresql://postgres:${DEMO_PASSWORDS.superuser}@${h}:${layout.readOnlyPort}/postgres"`,
    `  HAProxy stats:            http://${h}:${layout.statsPort}/`,
    ...layout.nodes.map((n) => `  ${n.name} REST API:         http://${h}:${n.restPort}/patroni`),
    '',
    'Things to try (in another terminal, from this directory):',
    `  ./bin/patronictl -c ${configArg} list`,
    `  ./bin/patronictl -c ${configArg} switchover --force`,
    `  ./bin/patronictl -c ${configArg} edit-config --pg work_mem=8MB --force`,
    "  kill -9 the leader: the line above with the leader's name, then",
    `    pkill -9 -f "${layout.stateDir}/<leader>/" ; watch ./bin/patronictl -c ${configArg} list`,
    '',
    `State and logs: ${layout.stateDir} (node*/patroni.log). Press Ctrl-C to stop everything.`,
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
  killLeftovers(pidFile);
  prepare(layout, runAs);

  const entry = join(repo, 'dist', 'cli', 'patroni.js');
  const daemonUser = canRead(entry, runAs) ? runAs : null;
  const running: Managed[] = [];
  const stopAll = async (): Promise<void> => {
    say('\nStopping: replicas, then the leader (it releases the leader lock), HAProxy, etcd ...');
    const daemons = running.filter((m) => m.name.startsWith('node'));
    for (const d of daemons.reverse()) await d.stop('SIGTERM');
    for (const m of running.filter((m) => !m.name.startsWith('node')))
      await m.stop('SIGTERM', 10_000);
    say('Stopped. Run `make demo` again to resume this cluster.');
  };
  let stopping = false;
  const onSignal = (): void => {
    if (stopping) return;
    stopping = true;
    void stopAll().then(() => process.exit(0));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    const etcd = startEtcd(layout);
    running.push(etcd);
    await waitFor(
      'etcd',
      async () => (await getJson(`http://${layout.host}:${layout.etcdClientPort}/health`)) !== null,
      30_000,
    );
    say(`✓ etcd up on ${layout.host}:${layout.etcdClientPort}`);
    for (const node of layout.nodes) {
      running.push(
        startManaged(
          node.name,
          process.execPath,
          [entry, node.configPath],
          node.logPath,
          daemonUser,
        ),
      );
    }
    writeFileSync(pidFile, running.map((m) => String(m.child.pid)).join('\n'));
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
    writeFileSync(pidFile, running.map((m) => String(m.child.pid)).join('\n'));
    say(
      `✓ HAProxy: read-write ${layout.host}:${layout.readWritePort}, read-only ${layout.host}:${layout.readOnlyPort}`,
    );
    printSummary(layout, join(repo, 'bin', 'patronictl'), first.configPath);
  } catch (err) {
    process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.stderr.write(`logs are in ${layout.stateDir}\n`);
    await stopAll();
    process.exit(1);
  }
}

await main();
