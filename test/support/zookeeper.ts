import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestPki } from './etcd-tls.js';
import { freePort } from './ports.js';
import { makeTempDir, removeTempDir } from './tmpdir.js';
import { killOnExit, exited } from './children.js';

/** Debian's `zookeeper` package: the server jar (its manifest names the other jars). */
const ZK_JAR = process.env['PATRONI_TS_ZOOKEEPER_JAR'] ?? '/usr/share/java/zookeeper.jar';
const JAVA = process.env['PATRONI_TS_JAVA'] ?? '/usr/bin/java';
/**
 * TLS needs Netty's codec and resolver, which the jar's manifest does not name (Debian's
 * packaging leaves them out: the server then drops every TLS handshake without a word).
 */
const NETTY_EXTRA = ['netty-codec', 'netty-resolver', 'netty-transport-native-unix-common'].map(
  (j) => `/usr/share/java/${j}.jar`,
);

/** A real standalone ZooKeeper for one test file, on a free loopback port with its own data dir. */
export interface ZooKeeperHandle {
  /** `127.0.0.1:<port>`, the form of patroni.yml's `zookeeper.hosts`. */
  readonly hostPort: string;
  readonly port: number;
  /** `127.0.0.1:<port>` of the TLS client port, when started with `tls`. */
  readonly secureHostPort: string | null;
  /** Graceful stop (SIGTERM, then SIGKILL after 5 s); data is kept, `restart()` works. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data (stopping it first if it runs). */
  restart(): Promise<void>;
  /** SIGSTOP: the server hangs without closing connections (a silent network). */
  pause(): void;
  /** SIGCONT after `pause()`. */
  resume(): void;
  /** Stops it and removes its files: call this in `after()`. */
  destroy(): Promise<void>;
}

/** The four-letter word `ruok`, answered `imok` by a serving server. */
function ruok(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setTimeout(1000, () => {
      socket.destroy();
    });
    socket.on('connect', () => {
      socket.end('ruok');
    });
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    socket.on('close', () => {
      resolve(answer === 'imok');
    });
    socket.on('error', () => {
      resolve(false);
    });
  });
}

/**
 * Starts ZooKeeper in standalone mode. tickTime 500 ms lets sessions be as short as 1 s (the
 * contract suite's ttl is 3 s); the maximum of 60 s covers Patroni's default ttl of 30 s.
 */
export async function startZooKeeper(
  options: {
    timeoutMs?: number;
    /** Also serve TLS clients (a second port), with this PKI; `clientAuth` demands certificates. */
    tls?: { pki: TestPki; clientAuth: boolean };
  } = {},
): Promise<ZooKeeperHandle> {
  const root = await makeTempDir('patroni-ts-zk-');
  const dataDir = join(root, 'data');
  await mkdir(dataDir, { recursive: true });
  const port = await freePort();
  const securePort = options.tls === undefined ? null : await freePort();
  const tlsLines =
    options.tls === undefined || securePort === null
      ? []
      : await tlsConfig(root, securePort, options.tls.pki, options.tls.clientAuth);
  const cfg = join(root, 'zoo.cfg');
  await writeFile(
    cfg,
    [
      'tickTime=500',
      'minSessionTimeout=1000',
      'maxSessionTimeout=60000',
      `dataDir=${dataDir}`,
      `clientPort=${port}`,
      'clientPortAddress=127.0.0.1',
      'admin.enableServer=false',
      '4lw.commands.whitelist=ruok,srvr,mntr',
      'maxClientCnxns=0',
      // Like fsync=off for the tests' PostgreSQL: a session is a logged transaction, and an
      // fsync slowed by a busy disk must not make the contract's 1 s retry_timeout flaky.
      'forceSync=no',
      ...tlsLines,
      '',
    ].join('\n'),
  );
  let child: ChildProcess | null = null;
  let log: WriteStream | null = null;

  const start = async (): Promise<void> => {
    log ??= createWriteStream(join(root, 'zookeeper.log'), { flags: 'a' });
    const c = spawn(
      JAVA,
      [
        '-Xmx256m',
        '-XX:+UseSerialGC',
        `-Dzookeeper.log.dir=${root}`,
        '-cp',
        [ZK_JAR, ...NETTY_EXTRA, '/etc/zookeeper/conf'].join(':'),
        'org.apache.zookeeper.server.ZooKeeperServerMain',
        cfg,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    c.stdout.pipe(log, { end: false });
    c.stderr.pipe(log, { end: false });
    killOnExit(c);
    child = c;
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    while (!(await ruok(port))) {
      if (c.exitCode !== null || Date.now() > deadline) {
        c.kill('SIGKILL');
        await exited(c);
        throw new Error(`ZooKeeper on port ${port} did not start (see ${root}/zookeeper.log)`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  const halt = async (): Promise<void> => {
    const c = child;
    if (c === null) return;
    child = null;
    c.kill('SIGTERM');
    c.kill('SIGCONT');
    const timer = setTimeout(() => c.kill('SIGKILL'), 5000);
    await exited(c);
    clearTimeout(timer);
  };

  await start();
  return {
    hostPort: `127.0.0.1:${port}`,
    port,
    secureHostPort: securePort === null ? null : `127.0.0.1:${securePort}`,
    stop: halt,
    restart: async () => {
      await halt();
      await start();
    },
    pause: () => {
      child?.kill('SIGSTOP');
      const pid = child?.pid;
      const deadline = Date.now() + 5000;
      while (pid !== undefined && Date.now() < deadline) {
        if (/^\d+ \(.*\) [Tt] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))) break;
      }
    },
    resume: () => {
      child?.kill('SIGCONT');
    },
    destroy: async () => {
      await halt();
      log?.end();
      await removeTempDir(root);
    },
  };
}

/** zoo.cfg lines for a TLS client port: a PKCS#12 key store made from the PEM files. */
async function tlsConfig(
  root: string,
  securePort: number,
  pki: TestPki,
  clientAuth: boolean,
): Promise<string[]> {
  const store = join(root, 'server.p12');
  await promisify(execFile)('openssl', [
    'pkcs12',
    '-export',
    '-in',
    pki.serverCert,
    '-inkey',
    pki.serverKey,
    '-out',
    store,
    '-passout',
    'pass:zk-test',
  ]);
  return [
    `secureClientPort=${securePort}`,
    'secureClientPortAddress=127.0.0.1',
    'serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory',
    `ssl.keyStore.location=${store}`,
    'ssl.keyStore.type=PKCS12',
    'ssl.keyStore.password=zk-test',
    `ssl.trustStore.location=${pki.caFile}`,
    'ssl.trustStore.type=PEM',
    `ssl.clientAuth=${clientAuth ? 'need' : 'none'}`,
  ];
}
