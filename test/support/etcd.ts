import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { freePorts } from './ports.js';
import { makeTempDir, removeTempDir } from './tmpdir.js';
import { killOnExit, exited } from './children.js';

const ETCD_BIN = process.env['PATRONI_TS_ETCD'] ?? '/usr/bin/etcd';

/** PEM files for an etcd that serves clients over TLS (see test/support/tls.ts). */
export interface EtcdTls {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  /** Require client certificates signed by the CA; `clientCert`/`clientKey` are used for health. */
  readonly clientCertAuth?: { readonly certFile: string; readonly keyFile: string };
}

/** A real etcd for one test file, on free loopback ports with its own data dir. */
export interface EtcdHandle {
  /** `http(s)://127.0.0.1:<port>` (or the `host` asked for), for clients. */
  readonly endpoint: string;
  /** `127.0.0.1:<port>`, the form of patroni.yml's `etcd3.hosts`. */
  readonly hostPort: string;
  /** `http://127.0.0.1:<port>` of the second client port, when asked for. */
  readonly secondEndpoint?: string;
  readonly clientPort: number;
  readonly dataDir: string;
  /** Graceful stop (SIGTERM, then SIGKILL after 5 s); data is kept, `restart()` works. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash; data is kept. */
  kill(): Promise<void>;
  /** Starts it again on the same ports and data (stopping it first if it runs). */
  restart(): Promise<void>;
  /** SIGSTOP: etcd hangs without closing connections (a silent network). */
  pause(): void;
  /** SIGCONT after `pause()`. */
  resume(): void;
  /** Stops it and removes its files: call this in `after()`. */
  destroy(): Promise<void>;
}

/** GET /health over http or https (trusting the test CA); true when etcd says healthy. */
async function healthy(endpoint: string, tls: EtcdTls | undefined): Promise<boolean> {
  if (tls === undefined) {
    const res = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1000) });
    const body = (await res.json()) as { health?: string };
    return res.ok && body.health === 'true';
  }
  const client = tls.clientCertAuth;
  return new Promise((resolve, reject) => {
    const req = request(
      `${endpoint}/health`,
      {
        ca: readFileSync(tls.caFile),
        ...(client === undefined
          ? {}
          : { cert: readFileSync(client.certFile), key: readFileSync(client.keyFile) }),
        timeout: 1000,
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => {
          resolve(res.statusCode === 200 && body.includes('"true"'));
        });
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

async function waitHealthy(
  endpoint: string,
  child: ChildProcess,
  tls: EtcdTls | undefined,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`etcd exited with code ${child.exitCode}`);
    try {
      if (await healthy(endpoint, tls)) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`etcd at ${endpoint} not healthy within ${timeoutMs} ms`);
}

export interface StartEtcdOptions {
  readonly timeoutMs?: number;
  readonly tls?: EtcdTls;
  /** Serve the v2 API too (`--enable-v2`; etcd 3.4 disables it by default). */
  readonly enableV2?: boolean;
  /**
   * Serve clients on a second free port too, advertised in the member list (plain http), so
   * that a client given one address can discover another.
   */
  readonly secondClientPort?: boolean;
  /** The address clients use (default 127.0.0.1), e.g. a test bridge's for namespaces. */
  readonly host?: string;
}

export async function startEtcd(options: StartEtcdOptions = {}): Promise<EtcdHandle> {
  const tls = options.tls;
  const root = await makeTempDir('patroni-ts-etcd-');
  const dataDir = join(root, 'data');
  const [clientPort = 0, peerPort = 0, secondPort = 0] = await freePorts(3);
  const host = options.host ?? '127.0.0.1';
  const endpoint = `${tls === undefined ? 'http' : 'https'}://${host}:${clientPort}`;
  const second =
    options.secondClientPort === true && tls === undefined
      ? `http://127.0.0.1:${secondPort}`
      : undefined;
  const clientUrls = second === undefined ? endpoint : `${endpoint},${second}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const args = [
    '--name',
    'test',
    '--data-dir',
    dataDir,
    '--listen-client-urls',
    clientUrls,
    '--advertise-client-urls',
    clientUrls,
    '--listen-peer-urls',
    peer,
    '--initial-advertise-peer-urls',
    peer,
    '--initial-cluster',
    `test=${peer}`,
    '--initial-cluster-state',
    'new',
    '--initial-cluster-token',
    `patroni-ts-${clientPort}`,
  ];
  if (options.enableV2 === true) args.push('--enable-v2');
  if (tls !== undefined) {
    args.push('--cert-file', tls.certFile, '--key-file', tls.keyFile);
    if (tls.clientCertAuth !== undefined) {
      args.push('--client-cert-auth', '--trusted-ca-file', tls.caFile);
    }
  }
  let child: ChildProcess | null = null;
  let log: WriteStream | null = null;

  const start = async (): Promise<void> => {
    log ??= createWriteStream(join(root, 'etcd.log'), { flags: 'a' });
    const c = spawn(ETCD_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    c.stdout.pipe(log, { end: false });
    c.stderr.pipe(log, { end: false });
    killOnExit(c);
    child = c;
    try {
      await waitHealthy(endpoint, c, tls, options.timeoutMs ?? 30_000);
    } catch (error) {
      c.kill('SIGKILL');
      await exited(c);
      throw error;
    }
  };

  const halt = async (signal: NodeJS.Signals): Promise<void> => {
    const c = child;
    if (c === null) return;
    child = null;
    c.kill(signal);
    // A paused etcd handles SIGTERM only once it runs again.
    c.kill('SIGCONT');
    const timer = setTimeout(() => c.kill('SIGKILL'), 5000);
    await exited(c);
    clearTimeout(timer);
  };

  await start();
  return {
    endpoint,
    hostPort: `${host}:${clientPort}`,
    ...(second === undefined ? {} : { secondEndpoint: second }),
    clientPort,
    dataDir,
    stop: () => halt('SIGTERM'),
    kill: () => halt('SIGKILL'),
    restart: async () => {
      await halt('SIGTERM');
      await start();
    },
    pause: () => {
      child?.kill('SIGSTOP');
      // The signal is asynchronous: return only once the kernel shows the process stopped, or a
      // request sent right after pause() may still be answered.
      const pid = child?.pid;
      const deadline = Date.now() + 5000;
      while (pid !== undefined && Date.now() < deadline) {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        if (/^\d+ \(.*\) [Tt] /.test(stat)) break;
      }
    },
    resume: () => {
      child?.kill('SIGCONT');
    },
    destroy: async () => {
      await halt('SIGTERM');
      log?.end();
      await removeTempDir(root);
    },
  };
}
