import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RestApiOptions } from '../../src/api/options.js';
import { RestApiServer } from '../../src/api/server.js';
import { FakeApiContext } from '../../src/api/testing/fake-context.js';
import { call } from '../../src/api/testing/http-client.js';
import { clusterOf, primaryView } from '../../src/core/health/fixtures.js';
import { makeTempDir, removeTempDir } from '../support/tmpdir.js';

const AUTH = 'Basic ' + Buffer.from('admin:s3cret').toString('base64');

async function started(
  options: RestApiOptions,
  ctx = new FakeApiContext(),
): Promise<RestApiServer> {
  const server = new RestApiServer({
    options,
    context: ctx,
    resolve: () => Promise.resolve(['127.0.0.1']),
  });
  await server.start();
  return server;
}

const url = (s: RestApiServer, path: string, proto = 'http'): string =>
  `${proto}://127.0.0.1:${s.address().port}${path}`;

describe('basic auth on unsafe endpoints', () => {
  let server: RestApiServer;
  before(async () => {
    server = await started({
      listen: '127.0.0.1:0',
      authentication: { username: 'admin', password: 's3cret' },
    });
  });
  after(async () => {
    await server.stop();
  });

  it('401 without or with bad credentials, with the Patroni realm', async () => {
    const none = await call(url(server, '/reload'), { method: 'POST' });
    assert.deepEqual([none.status, none.body], [401, 'no auth header received']);
    assert.equal(none.headers['www-authenticate'], 'Basic realm="Patroni"');
    const wrong = 'Basic ' + Buffer.from('admin:nope').toString('base64');
    const bad = await call(url(server, '/reload'), {
      method: 'POST',
      headers: { authorization: wrong },
    });
    assert.deepEqual([bad.status, bad.body], [401, 'not authenticated']);
    const bearer = await call(url(server, '/restart'), {
      method: 'DELETE',
      headers: { authorization: 'Bearer x' },
    });
    assert.deepEqual([bearer.status, bearer.body], [401, 'not authenticated']);
  });
  it('200/202 with the right credentials; GET never asks', async () => {
    const ok = await call(url(server, '/reload'), {
      method: 'POST',
      headers: { authorization: AUTH },
    });
    assert.deepEqual([ok.status, ok.body], [202, 'reload scheduled']);
    assert.equal((await call(url(server, '/patroni'))).status, 200);
    assert.equal((await call(url(server, '/config'))).status, 200);
  });
  it('auth is checked before the body is read: a bad body without auth is 401', async () => {
    const res = await call(url(server, '/config'), { method: 'PATCH', body: '{not json' });
    assert.equal(res.status, 401);
  });
  it('reload with new credentials applies to the next request', async () => {
    await server.reload({
      listen: `${server.address().host}:${server.address().port}`,
      authentication: { username: 'ops', password: 'new' },
    });
    const old = await call(url(server, '/reload'), {
      method: 'POST',
      headers: { authorization: AUTH },
    });
    assert.equal(old.status, 401);
    const fresh = 'Basic ' + Buffer.from('ops:new').toString('base64');
    assert.equal(
      (await call(url(server, '/reload'), { method: 'POST', headers: { authorization: fresh } }))
        .status,
      202,
    );
  });
});

describe('allowlist', () => {
  it('403 Access is denied from outside the list; GET unaffected', async () => {
    const server = await started({
      listen: '127.0.0.1:0',
      allowlist: ['10.0.0.0/8', '192.168.1.1'],
    });
    try {
      const res = await call(url(server, '/reload'), { method: 'POST' });
      assert.deepEqual([res.status, res.body], [403, 'Access is denied']);
      assert.equal((await call(url(server, '/primary'))).status, 200);
    } finally {
      await server.stop();
    }
  });
  it('CIDR, IP and resolved host names allow the client', async () => {
    for (const allowlist of [['127.0.0.0/8'], ['127.0.0.1'], ['db-host.example']]) {
      const server = await started({ listen: '127.0.0.1:0', allowlist });
      try {
        assert.equal(
          (await call(url(server, '/reload'), { method: 'POST' })).status,
          202,
          String(allowlist),
        );
      } finally {
        await server.stop();
      }
    }
  });
  it('allowlist_include_members admits members api_url hosts', async () => {
    const ctx = new FakeApiContext();
    ctx.nodeView = primaryView({ cluster: clusterOf() });
    const server = await started(
      { listen: '127.0.0.1:0', allowlist: ['10.1.1.1'], allowlistIncludeMembers: true },
      ctx,
    );
    try {
      assert.equal((await call(url(server, '/reload'), { method: 'POST' })).status, 202);
      ctx.nodeView = primaryView({ cluster: null });
      assert.equal((await call(url(server, '/reload'), { method: 'POST' })).status, 403);
    } finally {
      await server.stop();
    }
  });
});

describe('TLS with client certificates', () => {
  let dir = '';
  const file = (name: string): string => join(dir, name);
  const read = (name: string): Buffer => readFileSync(file(name));

  before(async () => {
    dir = await makeTempDir('patroni-ts-api-tls-');
    const ssl = (...args: string[]): void => {
      execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    };
    ssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '2',
      '-subj',
      '/CN=test-ca',
    );
    const sign = (name: string, cn: string, ext: string): void => {
      ssl(
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.csr`,
        '-subj',
        `/CN=${cn}`,
      );
      execFileSync('sh', ['-c', `printf '%s\\n' '${ext}' > ${name}.ext`], { cwd: dir });
      ssl(
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        `${name}.crt`,
        '-days',
        '2',
        '-extfile',
        `${name}.ext`,
      );
    };
    sign('server', '127.0.0.1', 'subjectAltName=IP:127.0.0.1');
    sign('client', 'patronictl', 'extendedKeyUsage=clientAuth');
    ssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'rogue.key',
      '-out',
      'rogue.crt',
      '-days',
      '2',
      '-subj',
      '/CN=rogue',
    );
    // The server key with a passphrase, to exercise keyfile_password.
    ssl(
      'rsa',
      '-in',
      'server.key',
      '-aes256',
      '-passout',
      'pass:keypass',
      '-out',
      'server-enc.key',
    );
  });
  after(async () => {
    await removeTempDir(dir);
  });

  function tlsOptions(verifyClient: 'optional' | 'required'): RestApiOptions {
    return {
      listen: '127.0.0.1:0',
      certfile: file('server.crt'),
      keyfile: file('server-enc.key'),
      keyfilePassword: 'keypass',
      cafile: file('ca.crt'),
      verifyClient,
      httpExtraHeaders: { 'X-Plain': '1' },
      httpsExtraHeaders: { 'Strict-Transport-Security': 'max-age=1' },
    };
  }

  it('verify_client required: no certificate, no connection; a CA-signed one gets in', async () => {
    const server = await started(tlsOptions('required'));
    try {
      const ca = read('ca.crt');
      await assert.rejects(call(url(server, '/patroni', 'https'), { tls: { ca } }));
      await assert.rejects(
        call(url(server, '/patroni', 'https'), {
          tls: { ca, cert: read('rogue.crt'), key: read('rogue.key') },
        }),
      );
      const tls = { ca, cert: read('client.crt'), key: read('client.key') };
      const res = await call(url(server, '/patroni', 'https'), { tls });
      assert.equal(res.status, 200);
      assert.equal(res.headers['x-plain'], '1');
      assert.equal(res.headers['strict-transport-security'], 'max-age=1');
      assert.equal(
        (await call(url(server, '/reload', 'https'), { method: 'POST', tls })).status,
        202,
      );
    } finally {
      await server.stop();
    }
  });

  it('verify_client optional: reads without a certificate, unsafe calls need one (403)', async () => {
    const server = await started(tlsOptions('optional'));
    try {
      const ca = read('ca.crt');
      assert.equal((await call(url(server, '/primary', 'https'), { tls: { ca } })).status, 200);
      // Status-line-only answers (what HAProxy's check-ssl probes get) work over TLS too.
      assert.equal(
        (await call(url(server, '/primary', 'https'), { method: 'OPTIONS', tls: { ca } })).status,
        200,
      );
      assert.equal(
        (await call(url(server, '/replica', 'https'), { method: 'HEAD', tls: { ca } })).status,
        503,
      );
      const denied = await call(url(server, '/reload', 'https'), { method: 'POST', tls: { ca } });
      assert.deepEqual([denied.status, denied.body], [403, 'client certificate required']);
      const rogue = await call(url(server, '/reload', 'https'), {
        method: 'POST',
        tls: { ca, cert: read('rogue.crt'), key: read('rogue.key') },
      });
      assert.equal(rogue.status, 403);
      const tls = { ca, cert: read('client.crt'), key: read('client.key') };
      assert.equal(
        (await call(url(server, '/reload', 'https'), { method: 'POST', tls })).status,
        202,
      );
    } finally {
      await server.stop();
    }
  });

  it('a missing certificate file is a clear config error naming the key', async () => {
    const server = new RestApiServer({
      options: { listen: '127.0.0.1:0', certfile: file('nope.crt') },
      context: new FakeApiContext(),
    });
    await assert.rejects(server.start(), /restapi\.certfile: cannot read .*nope\.crt/);
  });
});
