import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { RestApiServer } from '../../src/api/server.js';
import { FakeApiContext } from '../../src/api/testing/fake-context.js';
import { call, rawExchange } from '../../src/api/testing/http-client.js';
import { primaryView, replicaView } from '../../src/core/health/fixtures.js';
import type { NodeView } from '../../src/core/health/node-view.js';
import { freePort } from '../support/ports.js';

/** Resolves with how long the server took to close a connection that sent `payload`. */
function closedAfter(port: number, payload: string, limitMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1', () => socket.write(payload));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`server kept a slow client for over ${limitMs} ms`));
    }, limitMs);
    socket.on('data', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - started);
    });
    socket.on('error', () => undefined);
  });
}

describe('REST API robustness', () => {
  const ctx = new FakeApiContext();
  const server = new RestApiServer({
    options: { listen: '127.0.0.1:0' },
    context: ctx,
    timeouts: { headersMs: 1000, requestMs: 2000, keepAliveMs: 1000 },
  });
  let base = '';
  let port = 0;
  before(async () => {
    await server.start();
    port = server.address().port;
    base = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    await server.stop();
  });

  it('malformed, non-object and empty JSON bodies are 400; missing Content-Length is 411', async () => {
    for (const body of ['{"loop_wait": ', '[1, 2]', '"text"', '{}', '']) {
      const res = await call(`${base}/config`, { method: 'PATCH', body });
      assert.equal(res.status, 400, `body ${JSON.stringify(body)}`);
      assert.match(res.body, /<p>Error code: 400<\/p>/);
    }
    const raw = await rawExchange(
      port,
      'POST /switchover HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    assert.match(raw, /^HTTP\/1\.1 411 Length Required\r\n/);
    // Optional bodies: absent is fine, malformed is not.
    assert.equal((await call(`${base}/restart`, { method: 'POST' })).status, 200);
    assert.equal((await call(`${base}/restart`, { method: 'POST', body: '{oops' })).status, 400);
  });

  it('bodies over 1 MiB are refused with 413, whatever Content-Length says', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 10) });
    const res = await call(`${base}/config`, { method: 'PUT', body: big });
    assert.equal(res.status, 413);
    const lying = await rawExchange(
      port,
      `PUT /config HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nConnection: close\r\n\r\n{"a": 1}`,
    );
    assert.equal(lying, 'HTTP/1.0 408 Request Timeout\r\n\r\n');
    assert.equal((await call(`${base}/primary`)).status, 200, 'still serving');
  });

  it('a throwing daemon gives 500 with the reason, never a stack, and the server survives', async () => {
    const saved = ctx.nodeView;
    const broken = new FakeApiContext();
    broken.view = (): NodeView => {
      throw new Error('view is not ready');
    };
    const s2 = new RestApiServer({ options: { listen: '127.0.0.1:0' }, context: broken });
    await s2.start();
    try {
      const res = await call(`http://127.0.0.1:${s2.address().port}/patroni`);
      assert.equal(res.status, 500);
      assert.match(res.body, /view is not ready/);
      assert.doesNotMatch(res.body, /\.ts:\d+/);
      const head = await rawExchange(s2.address().port, 'HEAD /primary HTTP/1.0\r\n\r\n');
      assert.match(head, /^HTTP\/1\.1 500 /);
    } finally {
      await s2.stop();
      ctx.nodeView = saved;
    }
  });

  it('a daemon call that never returns gives 503 after the handler deadline', async () => {
    const wedged = new FakeApiContext();
    wedged.restart = () => new Promise(() => undefined);
    const s2 = new RestApiServer({
      options: { listen: '127.0.0.1:0' },
      context: wedged,
      timeouts: { handlerMs: 300 },
    });
    await s2.start();
    try {
      const res = await call(`http://127.0.0.1:${s2.address().port}/restart`, { method: 'POST' });
      assert.equal(res.status, 503);
      assert.match(res.body, /request timed out/);
      assert.equal((await call(`http://127.0.0.1:${s2.address().port}/primary`)).status, 200);
    } finally {
      await s2.stop();
    }
  });

  it('a response that cannot be written drops that connection, not the process', async () => {
    const s2 = new RestApiServer({
      options: { listen: '127.0.0.1:0', httpExtraHeaders: { 'X-Bad': 'a\nb' } },
      context: new FakeApiContext(),
    });
    await s2.start();
    try {
      await assert.rejects(call(`http://127.0.0.1:${s2.address().port}/patroni`));
      const head = await rawExchange(s2.address().port, 'HEAD /primary HTTP/1.0\r\n\r\n');
      assert.equal(head, 'HTTP/1.0 200 OK\r\n\r\n');
    } finally {
      await s2.stop();
    }
  });

  it('slow clients are cut off after the header timeout', async () => {
    const ms = await closedAfter(port, 'GET /primary HTTP/1.1\r\nHost: x\r\n', 8000);
    assert.ok(ms >= 900, `closed after ${ms} ms`);
  });

  it('keep-alive: several requests answered on one connection', async () => {
    const one = 'GET /primary HTTP/1.1\r\nHost: x\r\n\r\n';
    const last = 'GET /patroni HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';
    const out = await rawExchange(port, one + one + one + last);
    assert.equal(out.match(/HTTP\/1\.1 200 OK\r\n/g)?.length, 4);
  });

  it('hundreds of concurrent health checks and writes all get their answer', async () => {
    ctx.nodeView = replicaView();
    const jobs: Promise<number>[] = [];
    for (let i = 0; i < 300; i++) {
      const path = i % 3 === 0 ? '/replica' : i % 3 === 1 ? '/primary' : '/patroni';
      jobs.push(call(`${base}${path}`, { timeoutMs: 30_000 }).then((r) => r.status));
      if (i % 30 === 0) {
        jobs.push(
          call(`${base}/reload`, { method: 'POST', timeoutMs: 30_000 }).then((r) => r.status),
        );
      }
    }
    const statuses = await Promise.all(jobs);
    const count = (s: number): number => statuses.filter((x) => x === s).length;
    assert.equal(statuses.length, 310);
    assert.equal(count(503), 100, '/primary on a replica');
    assert.equal(count(200), 200, '/replica and /patroni');
    assert.equal(count(202), 10, 'reloads');
    ctx.nodeView = primaryView();
  });
});

describe('REST API lifecycle', () => {
  it('a busy port is a clear error naming restapi.listen', async () => {
    const first = new RestApiServer({
      options: { listen: '127.0.0.1:0' },
      context: new FakeApiContext(),
    });
    await first.start();
    try {
      const second = new RestApiServer({
        options: { listen: `127.0.0.1:${first.address().port}` },
        context: new FakeApiContext(),
      });
      await assert.rejects(
        second.start(),
        /Couldn't start a service on '127\.0\.0\.1:\d+', please check your `restapi\.listen`/,
      );
    } finally {
      await first.stop();
    }
  });
  it('reload with a new listen address moves the server', async () => {
    const server = new RestApiServer({
      options: { listen: '127.0.0.1:0' },
      context: new FakeApiContext(),
    });
    await server.start();
    try {
      const oldPort = server.address().port;
      const target = await freePort();
      await server.reload({ listen: `127.0.0.1:${target}`, httpExtraHeaders: { 'X-New': '1' } });
      const newPort = server.address().port;
      assert.equal(newPort, target);
      assert.notEqual(newPort, oldPort);
      const res = await call(`http://127.0.0.1:${newPort}/patroni`);
      assert.equal(res.headers['x-new'], '1');
      await assert.rejects(call(`http://127.0.0.1:${oldPort}/patroni`));
    } finally {
      await server.stop();
    }
  });
});
