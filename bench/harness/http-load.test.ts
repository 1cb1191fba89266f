import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { httpLoad } from './http-load.js';

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

describe('httpLoad', () => {
  it('reuses connections with keep-alive on an HTTP/1.1 server, and not without', async () => {
    let sockets = 0;
    const server = createHttpServer((_req, res) => res.end('{}'));
    server.on('connection', () => sockets++);
    const port = await listen(server);
    try {
      const ka = await httpLoad(`http://127.0.0.1:${port}/primary`, 0.5, 2, true);
      assert.ok(ka.rps > 0);
      assert.equal(ka.errors, 0);
      assert.equal(sockets, 2);
      const fresh = await httpLoad(`http://127.0.0.1:${port}/primary`, 0.5, 2, false);
      assert.equal(fresh.errors, 0);
      assert.equal(sockets, 2 + Math.round(fresh.rps * 0.5));
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('reads HTTP/1.0 answers that end with the connection (as Patroni 3.0.2 sends them)', async () => {
    const server = createTcpServer((s) => {
      s.once('data', () => s.end('HTTP/1.0 503 Service Unavailable\r\n\r\n{"role":"replica"}'));
    });
    const port = await listen(server);
    try {
      const r = await httpLoad(`http://127.0.0.1:${port}/primary`, 0.3, 2, true);
      assert.ok(r.rps > 0);
      assert.equal(r.errors, 0);
      assert.equal(r.non2xx, Math.round(r.rps * 0.3));
    } finally {
      server.close();
    }
  });
});
