import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { etcdV2Requests, parseMntr, zkPacketsReceived } from './dcs-counts.js';

describe('etcdV2Requests', () => {
  it('reads the v2 request counters by method and the watch counter, nothing else', () => {
    const metrics = [
      '# HELP etcd_http_received_total Counter of requests received into the system.',
      '# TYPE etcd_http_received_total counter',
      'etcd_http_received_total{method="GET"} 2',
      'etcd_http_received_total{method="PUT"} 3',
      'etcd_http_received_total{method="QGET"} 1',
      'etcd_http_successful_duration_seconds_count{method="GET"} 2',
      'etcd_debugging_store_reads_total{action="get"} 9',
      'etcd_debugging_store_watch_requests_total 4',
      'etcd_debugging_store_watchers 1',
      'grpc_server_msg_received_total{grpc_method="Range"} 50',
    ].join('\n');
    assert.deepEqual(
      [...etcdV2Requests(metrics)],
      [
        ['GET', 2],
        ['PUT', 3],
        ['QGET', 1],
        ['WATCH', 4],
      ],
    );
  });

  it('is empty for an etcd without the v2 API', () => {
    assert.equal(etcdV2Requests('grpc_server_msg_received_total{grpc_method="Range"} 5\n').size, 0);
  });
});

const MNTR = [
  'zk_version\t3.8.0-5a02a05eddb59aee6ac762f7ea82e92a68eb9c0f, built on 2022-02-25 08:49 UTC',
  'zk_server_state\tstandalone',
  'zk_packets_received\t1234',
  'zk_packets_sent\t1230',
  '',
].join('\n');

describe('parseMntr', () => {
  it('reads key<TAB>value lines, values with spaces kept whole', () => {
    const m = parseMntr(MNTR);
    assert.equal(m.get('zk_packets_received'), '1234');
    assert.equal(m.get('zk_server_state'), 'standalone');
    assert.equal(m.get('zk_version')?.endsWith('2022-02-25 08:49 UTC'), true);
    assert.equal(m.size, 4);
  });
});

describe('zkPacketsReceived', () => {
  async function serve(answer: string, check: (word: string) => void): Promise<number> {
    const server = createServer((socket) => {
      socket.once('data', (d: Buffer) => {
        check(d.toString());
        socket.end(answer);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    after.push(() => server.close());
    return (server.address() as AddressInfo).port;
  }
  const after: (() => void)[] = [];

  it('sends mntr and returns zk_packets_received', async () => {
    let word = '';
    const port = await serve(MNTR, (w) => (word = w));
    try {
      assert.equal(await zkPacketsReceived(port), 1234);
      assert.equal(word, 'mntr');
    } finally {
      for (const f of after.splice(0)) f();
    }
  });

  it('fails naming the port when mntr is not whitelisted', async () => {
    const port = await serve(
      'mntr is not executed because it is not in the whitelist.\n',
      () => {},
    );
    try {
      await assert.rejects(
        zkPacketsReceived(port),
        new RegExp(`port ${port}.*zk_packets_received`),
      );
    } finally {
      for (const f of after.splice(0)) f();
    }
  });
});
