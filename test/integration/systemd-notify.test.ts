/**
 * systemd's notify protocol against a real daemon: the test listens on a datagram socket in
 * NOTIFY_SOCKET, as systemd does for a Type=notify unit, and reads what the daemon says.
 */
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TestCluster, type TestNode } from '../support/cluster.js';
import { waitFor } from '../support/postgres.js';

interface DgramSocket {
  bind(path: string): void;
  close(): void;
}
interface DgramModule {
  createSocket(type: 'unix_dgram', onMessage: (msg: Buffer) => void): DgramSocket;
}

describe('systemd notify (Type=notify, WatchdogSec)', { timeout: 300_000 }, () => {
  const messages: { text: string; restAnswered: Promise<number> }[] = [];
  let socketDir = '';
  let socket: DgramSocket | null = null;
  let cluster: TestCluster | null = null;
  let node: TestNode | undefined;

  before(async () => {
    // The socket lives outside the cluster's directory: a path must fit in sun_path (108 bytes).
    socketDir = await mkdtemp(join(tmpdir(), 'sdn-'));
    await chmod(socketDir, 0o755);
    const path = join(socketDir, 'notify');
    const dgram = createRequire(import.meta.url)('unix-dgram') as DgramModule;
    socket = dgram.createSocket('unix_dgram', (msg) => {
      const text = msg.toString('utf8');
      // The REST API's answer at the moment the message arrives (0: no answer).
      const restAnswered = node === undefined ? Promise.resolve(0) : node.httpStatus('/health');
      messages.push({ text, restAnswered });
    });
    socket.bind(path);
    // The daemon runs as postgres when the tests run as root.
    await chmod(path, 0o666);
    cluster = await TestCluster.start({
      nodes: [{ name: 'node1' }],
      env: { NOTIFY_SOCKET: path, WATCHDOG_USEC: '2000000' },
    });
    node = cluster.node('node1');
  });

  after(async () => {
    await cluster?.stop();
    socket?.close();
    await rm(socketDir, { recursive: true, force: true });
  });

  const lines = (): string[] => messages.flatMap((m) => m.text.split('\n'));

  it('says READY once the REST API answers and the first cycle ran, with the cycle as STATUS', async () => {
    await waitFor('READY=1', () => Promise.resolve(lines().includes('READY=1')), 120_000);
    const first = messages.find((m) => m.text.split('\n').includes('READY=1'));
    assert.ok(first);
    // Any HTTP status will do (the first cycle may still be bootstrapping: /health is 503 then);
    // 0 means the connection was refused.
    assert.notEqual(await first.restAnswered, 0, 'REST API answered when READY=1 arrived');
    await waitFor(
      'STATUS with the leader sentence',
      () =>
        Promise.resolve(
          lines().some((l) =>
            /^STATUS=no action\. I am \(node1\), the leader with the lock$/.test(l),
          ),
        ),
      120_000,
    );
  });

  it('pings the watchdog from the HA loop', async () => {
    await waitFor(
      'three WATCHDOG=1',
      () => Promise.resolve(lines().filter((l) => l === 'WATCHDOG=1').length >= 3),
      60_000,
    );
  });

  it('says STOPPING on SIGTERM, and PostgreSQL never took the socket for its own', async () => {
    await cluster?.node('node1').stopDaemon('SIGTERM');
    assert.ok(lines().includes('STOPPING=1'), lines().join(' | '));
    // PostgreSQL built with systemd support says READY=1 too if NOTIFY_SOCKET reaches it.
    assert.equal(lines().filter((l) => l === 'READY=1').length, 1, lines().join(' | '));
  });
});
