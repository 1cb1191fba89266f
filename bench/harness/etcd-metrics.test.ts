import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { diffCounts, etcdCounts } from './etcd-metrics.js';

const METRICS = [
  '# TYPE grpc_server_msg_received_total counter',
  'grpc_server_msg_received_total{grpc_method="Put",grpc_service="etcdserverpb.KV",grpc_type="unary"} 7',
  'grpc_server_msg_received_total{grpc_method="LeaseKeepAlive",grpc_service="etcdserverpb.Lease",grpc_type="bidi_stream"} 12',
  'grpc_server_handled_total{grpc_code="OK",grpc_method="Put",grpc_service="etcdserverpb.KV",grpc_type="unary"} 7',
].join('\n');

describe('etcdCounts', () => {
  it('sums grpc_server_msg_received_total by method and ignores other series', async () => {
    const server = createServer((_req, res) => res.end(METRICS));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const counts = await etcdCounts(`http://127.0.0.1:${port}`);
      assert.deepEqual(
        [...counts],
        [
          ['Put', 7],
          ['LeaseKeepAlive', 12],
        ],
      );
      const later = new Map([
        ['Put', 10],
        ['LeaseKeepAlive', 12],
        ['Range', 4],
      ]);
      assert.deepEqual(
        [...diffCounts(counts, later)],
        [
          ['Put', 3],
          ['LeaseKeepAlive', 0],
          ['Range', 4],
        ],
      );
    } finally {
      server.close();
    }
  });
});
