/**
 * The watchdog on a real one-node cluster (issue 15), with Patroni's `testing` driver: a FIFO
 * this test reads, as Patroni's acceptance suite does. The device is armed with ttl -
 * safety_margin when the node leads, pinged with each leader-key refresh, set to a new timeout
 * after a ttl change, disarmed (`V`) on pause and on shutdown; `required` keeps a node without a
 * working device from leading.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster, type TestNode } from '../support/cluster.js';
import { waitFor } from '../support/postgres.js';
import { makeTempDir, removeTempDir } from '../support/tmpdir.js';
import { FifoWatchdog } from '../support/watchdog-fifo.js';

async function patchConfig(node: TestNode, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${node.apiBase}/config`, {
    method: 'PATCH',
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  assert.equal(res.status, 200, await res.text());
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls a synchronous condition (the FIFO's recorded events) until it holds. */
const until = (what: string, holds: () => boolean, timeoutMs?: number): Promise<true> =>
  waitFor(what, () => Promise.resolve(holds() || undefined), timeoutMs);

describe('watchdog with the testing driver', { timeout: 600_000 }, () => {
  let dir = '';
  let fifo: FifoWatchdog;
  let cluster: TestCluster;
  let node: TestNode;

  before(async () => {
    dir = await makeTempDir('patroni-ts-watchdog-');
    fifo = FifoWatchdog.create(dir);
    fifo.open();
    cluster = await TestCluster.start({
      nodes: [{ name: 'node1' }],
      extra: { watchdog: { driver: 'testing', device: fifo.path, mode: 'required' } },
    });
    node = cluster.node('node1');
  });
  after(async () => {
    node.signal('SIGCONT');
    await cluster.stop();
    fifo.close();
    await removeTempDir(dir);
  });

  it('is armed with ttl - safety_margin when the node leads, then pinged', async () => {
    await cluster.waitForLeader();
    await until('two pings', () => fifo.kinds().filter((k) => k === 'ping').length >= 2);
    const kinds = fifo.kinds();
    assert.equal(kinds[0], 'timeout=15');
    assert.ok(!kinds.includes('close'), kinds.join(' '));
    const status = await node.status();
    assert.equal(status?.['watchdog_failed'], undefined);
    assert.match(await node.log(), /Watchdog test harness at .* activated with 15 second timeout/);
  });

  it('a new ttl reaches the device with the next ping', async () => {
    const since = Date.now();
    await patchConfig(node, { ttl: 30 });
    await until('timeout=25', () => fifo.kinds(since).includes('timeout=25'), 20_000);
    const kinds = fifo.kinds(since);
    // After a refresh under the new ttl, never before: the key must outlive the watchdog.
    assert.equal(kinds[kinds.indexOf('timeout=25') - 1], 'ping');
    assert.ok(!kinds.includes('close'));
  });

  it('pause disarms it (magic close) and no ping follows', async () => {
    const since = Date.now();
    await patchConfig(node, { pause: true });
    await until('magic close', () => fifo.kinds(since).includes('close'), 20_000);
    const closedAt = Date.now();
    await sleep(5000); // more than two loop_waits
    assert.deepEqual(fifo.kinds(closedAt), []);
    assert.equal(await cluster.leader(), node, 'still the (paused) leader');
  });

  it('resume arms it again and pings', async () => {
    const since = Date.now();
    await patchConfig(node, { pause: false });
    await until('a ping after resume', () => fifo.kinds(since).includes('ping'), 20_000);
    assert.equal(fifo.kinds(since)[0], 'timeout=25');
  });

  it('a hung daemon stops pinging; it pings again once it runs', async () => {
    node.signal('SIGSTOP');
    const stoppedAt = Date.now();
    try {
      await sleep(5000);
      assert.deepEqual(fifo.kinds(stoppedAt + 200), []);
    } finally {
      node.signal('SIGCONT');
    }
    const resumedAt = Date.now();
    await until('pings after SIGCONT', () => fifo.kinds(resumedAt).includes('ping'));
  });

  it('a clean shutdown disarms it last', async () => {
    const since = Date.now();
    await node.stopDaemon('SIGTERM');
    const kinds = fifo.kinds(since);
    assert.equal(kinds.at(-1), 'close', kinds.join(' '));
  });

  it('required: without a working device the node does not lead', async () => {
    fifo.close(); // no reader: opening the FIFO fails with ENXIO
    node.start();
    await waitFor(
      'the refusal',
      async () => (await node.log()).includes('Configuration requires watchdog'),
      120_000,
    );
    await waitFor('watchdog_failed in /patroni', async () => {
      const s = await node.status();
      return s?.['watchdog_failed'] === true;
    });
    assert.equal(await node.httpStatus('/primary'), 503);
    assert.equal(await cluster.dcsValue('leader'), null);
    const log = await node.log();
    assert.match(
      log,
      /Not promoting self because watchdog could not be activated|Watchdog device is not usable/,
    );
  });

  it('a reload after the device is back lets it lead again', async () => {
    const since = Date.now();
    fifo.open();
    node.reload();
    await cluster.waitForLeader(60_000);
    await until('pings', () => fifo.kinds(since).includes('ping'));
    assert.equal(fifo.kinds(since)[0], 'timeout=25');
  });
});
