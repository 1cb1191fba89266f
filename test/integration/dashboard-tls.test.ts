/**
 * The dashboard behind the API's TLS: served over HTTPS only, its event stream refused without
 * the client certificate that `verify_client: required` asks for, and streaming with it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { RestApiServer } from '../../src/api/server.js';
import { call } from '../../src/api/testing/http-client.js';
import { FakeApiContext } from '../../src/api/testing/fake-context.js';
import { makeTestPki, type TestPki } from '../support/etcd-tls.js';
import { makeTempDir, removeTempDir } from '../support/tmpdir.js';

const AUTH = { username: 'admin', password: 'tls-dash-secret' };
const BASIC = `Basic ${Buffer.from(`${AUTH.username}:${AUTH.password}`).toString('base64')}`;

/** The first `state` event of an HTTPS event stream, then the stream is closed. */
function firstState(url: string, tls: Record<string, Buffer>): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { authorization: BASIC }, agent: false, ...tls }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`status ${res.statusCode ?? 0}`));
        res.resume();
        return;
      }
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        const m = /event: state\ndata: (.*)\n\n/.exec(text);
        if (m?.[1] !== undefined) {
          resolve(JSON.parse(m[1]) as Record<string, unknown>);
          res.destroy();
        }
      });
    });
    req.setTimeout(5000, () => req.destroy(new Error('no state event in time')));
    req.on('error', reject);
    req.end();
  });
}

describe('dashboard over TLS with client certificates', () => {
  let dir = '';
  let pki: TestPki;
  let server: RestApiServer;
  let base = '';
  let client: Record<string, Buffer> = {};

  before(async () => {
    dir = await makeTempDir('patroni-ts-dash-tls-');
    pki = await makeTestPki(dir);
    server = new RestApiServer({
      options: {
        listen: '127.0.0.1:0',
        certfile: pki.serverCert,
        keyfile: pki.serverKey,
        cafile: pki.caFile,
        verifyClient: 'required',
        authentication: AUTH,
        dashboard: true,
      },
      context: new FakeApiContext(),
    });
    await server.start();
    base = `https://127.0.0.1:${server.address().port}`;
    client = {
      ca: readFileSync(pki.caFile),
      cert: readFileSync(pki.clientCert),
      key: readFileSync(pki.clientKey),
    };
  });

  after(async () => {
    await server.stop();
    if (dir !== '') await removeTempDir(dir);
  });

  it('streams to a client with the certificate and the credentials', async () => {
    const state = await firstState(`${base}/dashboard/events`, client);
    assert.equal(state['leader'], 'node1');
    const page = await call(`${base}/dashboard`, {
      headers: { authorization: BASIC },
      tls: client,
    });
    assert.equal(page.status, 200);
    assert.match(page.body, /<title>patroni-ts dashboard<\/title>/);
  });

  it('refuses the page and the stream without a client certificate', async () => {
    const ca = { ca: client['ca'] ?? Buffer.alloc(0) };
    // verify_client: required turns the connection away in the TLS handshake.
    const res = await call(`${base}/dashboard/events`, {
      headers: { authorization: BASIC },
      tls: ca,
    }).then(
      (r) => `status ${r.status}`,
      (e: unknown) => `refused: ${String(e)}`,
    );
    assert.match(res, /^refused: /);
  });

  it('does not serve the dashboard over plain HTTP on the TLS port', async () => {
    const plain = await call(`http://127.0.0.1:${server.address().port}/dashboard`).catch(
      (e: unknown) => e,
    );
    assert.ok(plain instanceof Error || (plain as { status: number }).status !== 200);
  });
});
