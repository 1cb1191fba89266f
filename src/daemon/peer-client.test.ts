import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { PeerClient } from './peer-client.js';

describe('PeerClient', () => {
  let server: Server;
  let base = '';
  const seen: { method?: string; auth?: string; body: string }[] = [];

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const entry: { method?: string; auth?: string; body: string } = { body };
        if (req.method !== undefined) entry.method = req.method;
        if (req.headers.authorization !== undefined) entry.auth = req.headers.authorization;
        seen.push(entry);
        if (req.url === '/slow') return; // never answers
        if (req.url === '/garbage') {
          res.end('not json');
          return;
        }
        res.writeHead(req.url === '/failsafe' ? 200 : 503, { 'Content-Type': 'application/json' });
        res.end(req.url === '/failsafe' ? 'Accepted' : '{"state":"running","role":"replica"}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const client = new PeerClient({ username: 'u', password: 'p', timeoutMs: 300 }, readFileSync);

  it('reads a status document even when the health code is 503', async () => {
    assert.deepEqual(await client.getStatus(`${base}/patroni`), {
      state: 'running',
      role: 'replica',
    });
  });

  it('treats garbage, timeouts and refused connections as unreachable', async () => {
    assert.equal(await client.getStatus(`${base}/garbage`), null);
    const started = performance.now();
    assert.equal(await client.getStatus(`${base}/slow`), null);
    assert.ok(performance.now() - started < 3000);
    assert.equal(await client.getStatus('http://127.0.0.1:1/patroni'), null);
  });

  it('posts JSON with basic auth to the endpoint beside api_url', async () => {
    const res = await client.post(`${base}/patroni`, 'failsafe', { a: 1 });
    assert.deepEqual(res, { status: 200, body: 'Accepted' });
    const last = seen[seen.length - 1];
    assert.ok(last);
    assert.equal(last.method, 'POST');
    assert.equal(last.body, '{"a":1}');
    assert.equal(last.auth, `Basic ${Buffer.from('u:p').toString('base64')}`);
  });
});
