import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { renderHaproxyConfig, type HaproxyBackend } from '../../src/demo/haproxy-config.js';
import { freePorts } from './ports.js';

export interface HaproxyHandle {
  readonly readWritePort: number;
  readonly readOnlyPort: number;
  readonly statsPort: number;
  stop(): Promise<void>;
}

async function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => {
      resolve(false);
    });
  });
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  // A test or chaos run that dies halfway must not leave an HAProxy holding its ports.
  for (const child of live) child.kill('SIGKILL');
});

/** Starts Debian's HAProxy in the foreground with the guide-style config, on free loopback ports. */
export async function startHaproxy(
  dir: string,
  backends: readonly HaproxyBackend[],
  checkIntervalMs = 300,
): Promise<HaproxyHandle> {
  const [readWritePort, readOnlyPort, statsPort] = await freePorts(3);
  if (readWritePort === undefined || readOnlyPort === undefined || statsPort === undefined) {
    throw new Error('no ports');
  }
  const cfg = join(dir, 'haproxy.cfg');
  await writeFile(
    cfg,
    renderHaproxyConfig({
      bindHost: '127.0.0.1',
      readWritePort,
      readOnlyPort,
      statsPort,
      checkIntervalMs,
      backends,
    }),
  );
  const child: ChildProcess = spawn('haproxy', ['-db', '-f', cfg], { stdio: 'ignore' });
  live.add(child);
  child.once('exit', () => live.delete(child));
  const deadline = Date.now() + 15_000;
  while (!(await canConnect(statsPort))) {
    if (child.exitCode !== null) throw new Error(`haproxy exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('haproxy did not start within 15 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    readWritePort,
    readOnlyPort,
    statsPort,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** HAProxy in front of a test cluster's nodes (on loopback), its config in the cluster's dir. */
export function startHaproxyFor(cluster: {
  readonly dir: string;
  readonly nodes: readonly { name: string; pgPort: number; restPort: number }[];
}): Promise<HaproxyHandle> {
  return startHaproxy(
    cluster.dir,
    cluster.nodes.map((n) => ({
      name: n.name,
      host: '127.0.0.1',
      pgPort: n.pgPort,
      restPort: n.restPort,
    })),
  );
}
