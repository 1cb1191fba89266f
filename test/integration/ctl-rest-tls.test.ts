/**
 * patronictl's REST client over HTTPS: server verification with ctl.cacert, the client
 * certificate from ctl.certfile/keyfile, and -k/--insecure.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Member } from '../../src/core/model/index.js';
import type { RestSettings } from '../../src/ctl/config.js';
import { createRestClient } from '../../src/ctl/rest-client.js';
import { isPatroniError } from '../../src/shared/errors.js';
import { makeTestPki, type TestPki } from '../support/etcd-tls.js';
import { makeTempDir, removeTempDir } from '../support/tmpdir.js';

const member = (port: number): Member => ({
  name: 'node1',
  connUrl: 'postgres://127.0.0.1:5432/postgres',
  apiUrl: `https://127.0.0.1:${port}/patroni`,
  state: 'running',
  role: 'primary',
  version: '3.0.2',
  xlogLocation: 0,
  timeline: 1,
  tags: { nofailover: false, noloadbalance: false, clonefrom: false, nosync: false, custom: {} },
  pendingRestart: false,
  scheduledRestart: null,
  pause: false,
  checkpointAfterPromote: null,
  proxyUrl: null,
  replicationState: null,
  index: 1,
  session: null,
  data: {},
});

describe('REST client over TLS', () => {
  let dir = '';
  let pki: TestPki;
  let server: Server;
  let port = 0;
  const peers: (string | null)[] = [];
  const settings = (s: Partial<RestSettings>): RestSettings => ({
    auth: null,
    cacert: null,
    certfile: null,
    keyfile: null,
    keyfilePassword: null,
    insecure: false,
    ...s,
  });

  before(async () => {
    dir = await makeTempDir('ctl-tls-');
    pki = await makeTestPki(dir);
    server = createServer(
      {
        cert: readFileSync(pki.serverCert),
        key: readFileSync(pki.serverKey),
        ca: readFileSync(pki.caFile),
        requestCert: true,
        rejectUnauthorized: false,
      },
      (req, res) => {
        const socket = req.socket;
        const cert =
          'getPeerCertificate' in socket ? (socket as TLSSocket).getPeerCertificate() : null;
        // An empty object when the client sent no certificate.
        const cn: unknown =
          cert === null ? undefined : (cert.subject as { CN?: unknown } | undefined)?.CN;
        peers.push(typeof cn === 'string' ? cn : null);
        res.writeHead(200);
        res.end('ok');
      },
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await removeTempDir(dir);
  });

  it('verifies the server with ctl.cacert and presents the client certificate', async () => {
    const client = createRestClient({
      settings: settings({ cacert: pki.caFile, certfile: pki.clientCert, keyfile: pki.clientKey }),
    });
    assert.deepEqual(await client.request(member(port), 'GET'), { status: 200, body: 'ok' });
    assert.notEqual(peers[peers.length - 1], null);
  });

  it('refuses an unknown server certificate unless insecure', async () => {
    const strict = createRestClient({ settings: settings({}) });
    await assert.rejects(strict.request(member(port), 'GET'), (e) =>
      isPatroniError(e, 'REST_UNREACHABLE'),
    );
    const insecure = createRestClient({ settings: settings({ insecure: true }) });
    assert.equal((await insecure.request(member(port), 'GET')).status, 200);
  });
});
