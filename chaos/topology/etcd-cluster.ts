/**
 * Three etcd members forming a real quorum, in the root namespace. Clients are served on the lab
 * bridge's address (the nodes reach them through their latency proxies); the members talk to one
 * another on loopback, where no node's partition can reach. Data lives under /dev/shm: on this
 * shared machine a disk fsync can take seconds, which would be a fault nobody injected.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EtcdMember } from '../types.js';
import { freePorts } from '../../test/support/ports.js';

const ETCD_BIN = process.env['PATRONI_TS_ETCD'] ?? '/usr/bin/etcd';

export interface EtcdCluster {
  readonly members: readonly LocalEtcdMember[];
  /** `host:port` of every member's client URL, in order. */
  readonly hostPorts: readonly string[];
  destroy(): Promise<void>;
}

export interface LocalEtcdMember extends EtcdMember {
  readonly host: string;
  readonly clientPort: number;
  /** True once the member answers `/health` as healthy (it is part of a quorum). */
  healthy(): Promise<boolean>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

async function poll(what: string, check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startEtcdCluster(host: string, logDir: string): Promise<EtcdCluster> {
  const root = await mkdtemp('/dev/shm/patroni-ts-chaos-etcd-');
  const names = ['e1', 'e2', 'e3'];
  const ports = await freePorts(names.length * 2);
  const peer = (i: number): string => `http://127.0.0.1:${ports[2 * i + 1] ?? 0}`;
  const initialCluster = names.map((n, i) => `${n}=${peer(i)}`).join(',');
  const token = `chaos-${ports[0] ?? 0}`;
  const logs: WriteStream[] = [];

  const members = names.map((name, i): LocalEtcdMember => {
    const clientPort = ports[2 * i] ?? 0;
    const clientUrl = `http://${host}:${clientPort}`;
    let child: ChildProcess | null = null;
    let started = false;
    const log = createWriteStream(join(logDir, `etcd-${name}.log`), { flags: 'a' });
    logs.push(log);
    const args = (): string[] => [
      ...['--name', name, '--data-dir', join(root, name)],
      ...['--listen-client-urls', clientUrl, '--advertise-client-urls', clientUrl],
      ...['--listen-peer-urls', peer(i), '--initial-advertise-peer-urls', peer(i)],
      ...['--initial-cluster', initialCluster, '--initial-cluster-token', token],
      // A restarted member rejoins from its data dir; the flag is ignored then.
      ...['--initial-cluster-state', started ? 'existing' : 'new'],
      '--enable-v2',
    ];
    const running = (): boolean =>
      child !== null && child.exitCode === null && child.signalCode === null;
    return {
      name,
      host,
      clientPort,
      clientUrl,
      pid: () => (running() ? (child?.pid ?? null) : null),
      kill: (signal: NodeJS.Signals = 'SIGKILL') => {
        if (running()) child?.kill(signal);
      },
      start: async () => {
        if (running()) return;
        const c = spawn(ETCD_BIN, args(), { stdio: ['ignore', 'pipe', 'pipe'] });
        started = true;
        c.stdout.pipe(log, { end: false });
        c.stderr.pipe(log, { end: false });
        live.add(c);
        c.once('exit', () => live.delete(c));
        child = c;
        // Serving (not healthy: a lone member of a lost quorum never is).
        await poll(
          `etcd ${name} serving at ${clientUrl}`,
          async () => {
            if (c.exitCode !== null) throw new Error(`etcd ${name} exited with ${c.exitCode}`);
            return answers(`${clientUrl}/version`);
          },
          30_000,
        );
      },
      healthy: () => answers(`${clientUrl}/health`),
    };
  });

  const destroy = async (): Promise<void> => {
    await Promise.all(
      [...live].map(async (c) => {
        c.kill('SIGCONT');
        c.kill('SIGKILL');
        await exited(c);
      }),
    );
    for (const log of logs) log.end();
    await rm(root, { recursive: true, force: true });
  };

  try {
    await Promise.all(members.map((m) => m.start()));
    await poll(
      'a healthy etcd quorum',
      async () => {
        const h = await Promise.all(members.map((m) => m.healthy()));
        return h.every(Boolean);
      },
      60_000,
    );
  } catch (error) {
    await destroy();
    throw error;
  }
  return { members, hostPorts: members.map((m) => `${host}:${m.clientPort}`), destroy };
}

/** The member etcd reports as its raft leader (`/v3/maintenance/status`), or null. */
export async function etcdLeader(members: readonly EtcdMember[]): Promise<EtcdMember | null> {
  const statuses = await Promise.all(
    members.map(async (m) => {
      try {
        const res = await fetch(`${m.clientUrl}/v3/maintenance/status`, {
          method: 'POST',
          body: '{}',
          signal: AbortSignal.timeout(1500),
        });
        const body = (await res.json()) as { header?: { member_id?: string }; leader?: string };
        return { m, id: body.header?.member_id, leader: body.leader };
      } catch {
        return null;
      }
    }),
  );
  for (const s of statuses) {
    if (s !== null && s.id !== undefined && s.id === s.leader) return s.m;
  }
  return null;
}
