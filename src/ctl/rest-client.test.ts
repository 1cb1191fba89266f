import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Member } from '../core/model/index.js';
import { isPatroniError } from '../shared/errors.js';
import type { RestSettings } from './config.js';
import { createRestClient, endpointUrl } from './rest-client.js';
import { loadScenarios } from './testing/scenarios.js';

const NO_TLS: RestSettings = {
  auth: null,
  cacert: null,
  certfile: null,
  keyfile: null,
  keyfilePassword: null,
  insecure: false,
};

function memberAt(port: number): Member {
  const base = loadScenarios()[0]?.snapshot.members[0];
  assert.ok(base);
  return { ...base, apiUrl: `http://127.0.0.1:${port}/patroni` };
}

describe('REST client', () => {
  let server: Server;
  let port = 0;
  const seen: {
    method: string;
    url: string;
    auth: string | undefined;
    body: string;
    type: string | undefined;
  }[] = [];
  before(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        seen.push({
          method: req.method ?? '',
          url: req.url ?? '',
          auth: req.headers.authorization,
          body,
          type: req.headers['content-type'],
        });
        if (req.url === '/slow') return; // never answers
        res.writeHead(req.url === '/switchover' ? 412 : 200);
        res.end(req.url === '/switchover' ? 'candidate does not exists' : 'ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('replaces the api_url path with the endpoint, as PatroniRequest does', () => {
    assert.equal(endpointUrl('https://h:8008/patroni?x=1').href, 'https://h:8008/patroni?x=1');
    assert.equal(
      endpointUrl('https://h:8008/patroni?x=1', 'restart').href,
      'https://h:8008/restart',
    );
  });

  it('sends JSON bodies with Python spacing and basic auth from the ctl settings', async () => {
    const client = createRestClient({ settings: { ...NO_TLS, auth: 'admin:s3cret' } });
    const r = await client.request(memberAt(port), 'POST', 'restart', {
      schedule: null,
      restart_pending: true,
    });
    assert.deepEqual(r, { status: 200, body: 'ok' });
    const last = seen[seen.length - 1];
    assert.ok(last);
    assert.equal(last.method, 'POST');
    assert.equal(last.url, '/restart');
    assert.equal(last.body, '{"schedule": null, "restart_pending": true}');
    assert.equal(last.type, 'application/json');
    assert.equal(last.auth, `Basic ${Buffer.from('admin:s3cret').toString('base64')}`);
  });

  it('an HTTP error status is a normal answer; GET without endpoint asks /patroni', async () => {
    const client = createRestClient({ settings: NO_TLS });
    const r = await client.request(memberAt(port), 'POST', 'switchover', { leader: 'a' });
    assert.deepEqual(r, { status: 412, body: 'candidate does not exists' });
    await client.request(memberAt(port), 'GET');
    assert.equal(seen[seen.length - 1]?.url, '/patroni');
    assert.equal(seen[seen.length - 1]?.auth, undefined);
  });

  it('no answer (refused or too slow) is REST_UNREACHABLE', async () => {
    const client = createRestClient({ settings: NO_TLS, timeoutMs: 300 });
    await assert.rejects(client.request(memberAt(port), 'GET', 'slow'), (e) =>
      isPatroniError(e, 'REST_UNREACHABLE'),
    );
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await assert.rejects(client.request(memberAt(closedPort), 'GET'), (e) =>
      isPatroniError(e, 'REST_UNREACHABLE'),
    );
    const noUrl = { ...memberAt(port), apiUrl: null };
    await assert.rejects(client.request(noUrl, 'GET'), (e) =>
      isPatroniError(e, 'REST_UNREACHABLE'),
    );
  });
});
