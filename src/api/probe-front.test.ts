import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { RestApiServer } from './server.js';
import { replicaView } from '../core/health/fixtures.js';
import { FakeApiContext } from './testing/fake-context.js';

/**
 * Writes `parts` to a new connection (a pause between them, so they arrive as separate
 * chunks) and collects what comes back until `until` matches or the server closes.
 */
function exchange(port: number, parts: readonly string[], until?: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const s = connect(port, '127.0.0.1', () => {
      const send = (i: number): void => {
        const part = parts[i];
        if (part === undefined) return;
        s.write(part);
        setTimeout(() => {
          send(i + 1);
        }, 30);
      };
      send(0);
    });
    s.on('data', (d: Buffer) => {
      out += d.toString('latin1');
      if (until?.test(out) === true) {
        s.destroy();
        resolve(out);
      }
    });
    s.on('close', () => {
      resolve(out);
    });
    s.on('error', reject);
  });
}

describe('probe front', () => {
  const ctx = new FakeApiContext();
  const server = new RestApiServer({
    options: { listen: '127.0.0.1:0' },
    context: ctx,
    timeouts: { headersMs: 300 },
  });
  let port = 0;
  before(async () => {
    await server.start();
    port = server.address().port;
  });
  after(async () => {
    await server.stop();
  });

  it('answers a probe that closes, and a keep-alive client gets every request answered', async () => {
    const probe = await exchange(port, ['GET /primary HTTP/1.0\r\n\r\n']);
    assert.match(probe, /^HTTP\/1\.1 200 OK\r\n[^]*\r\nConnection: close\r\n\r\n\{"state": /);
    const req = 'GET /primary HTTP/1.1\r\nHost: x\r\n\r\n';
    const two = await exchange(port, [req, req], /(HTTP\/1\.1 200 OK[^]*){2}"scope": "[^"]*"\}\}/);
    assert.equal(two.match(/HTTP\/1\.1 200 OK/g)?.length, 2, two);
    assert.match(two, /Connection: keep-alive/);
  });

  it('a reply reused for the same view is never served once the view changed', async () => {
    const saved = ctx.nodeView;
    try {
      const req = 'GET /primary HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';
      assert.match(await exchange(port, [req]), /^HTTP\/1\.1 200 OK\r\n/);
      assert.match(await exchange(port, [req]), /^HTTP\/1\.1 200 OK\r\n/);
      ctx.nodeView = replicaView();
      const after = await exchange(port, [req]);
      assert.match(after, /^HTTP\/1\.1 503 Service Unavailable\r\n/);
      assert.match(after, /"role": "replica"/);
    } finally {
      ctx.nodeView = saved;
    }
  });

  it('hands a request that arrives in pieces to the HTTP server, which answers it whole', async () => {
    const out = await exchange(port, [
      'GET /repl',
      'ica HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    ]);
    assert.match(out, /^HTTP\/1\.1 503 Service Unavailable\r\n/);
    assert.match(out, /"role": "master"/);
  });

  it('sends the HTTP server 408 to a connection that says nothing', async () => {
    const started = Date.now();
    assert.equal(await exchange(port, []), 'HTTP/1.0 408 Request Timeout\r\n\r\n');
    assert.ok(Date.now() - started >= 250);
  });

  it('leaves a failing health view to the HTTP server: a 500 with the reason', async () => {
    const broken = new FakeApiContext();
    broken.view = () => {
      throw new Error('view is not ready');
    };
    const s = new RestApiServer({ options: { listen: '127.0.0.1:0' }, context: broken });
    await s.start();
    try {
      const out = await exchange(s.address().port, ['GET /primary HTTP/1.0\r\n\r\n']);
      assert.match(out, /^HTTP\/1\.1 500 Internal Server Error\r\n/);
      assert.match(out, /view is not ready/);
    } finally {
      await s.stop();
    }
  });
});
