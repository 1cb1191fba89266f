import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { demoLayout } from './layout.js';
import { busyPorts, demoPorts } from './preflight.js';

describe('demo preflight', () => {
  it('names a port that something else holds, with what the demo wanted it for', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as AddressInfo).port;
    try {
      const layout = { ...demoLayout('/nonexistent'), etcdClientPort: port };
      assert.ok((await busyPorts(layout)).includes(`127.0.0.1:${port} (etcd client)`));
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('gives every listener of the demo its own port, none of the system defaults', () => {
    const ports = demoPorts(demoLayout('/nonexistent')).map((p) => p.port);
    assert.equal(new Set(ports).size, ports.length);
    for (const taken of [5432, 2379, 2380, 8008]) assert.ok(!ports.includes(taken));
  });
});
