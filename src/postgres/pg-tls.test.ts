import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { fallsBack, sslPlan } from './pg-tls.js';

describe('sslPlan: libpq ssl settings as node-postgres TLS attempts', () => {
  let dir: string;
  let files: { ca: string; cert: string; key: string; crl: string; crlDir: string };
  const savedHome = process.env['HOME'];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pg-tls-'));
    files = {
      ca: join(dir, 'ca.pem'),
      cert: join(dir, 'client.pem'),
      key: join(dir, 'client.key'),
      crl: join(dir, 'root.crl'),
      crlDir: join(dir, 'crl.d'),
    };
    await writeFile(files.ca, 'CA');
    await writeFile(files.cert, 'CERT');
    await writeFile(files.key, 'KEY', { mode: 0o600 });
    await writeFile(files.crl, 'CRL');
    await mkdir(files.crlDir);
    await writeFile(join(files.crlDir, 'a.r0'), 'CRL-A');
    // No ~/.postgresql defaults may leak into the cases below.
    process.env['HOME'] = dir;
  });
  after(async () => {
    process.env['HOME'] = savedHome;
    await rm(dir, { recursive: true, force: true });
  });

  const text = (v: unknown): string => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v));

  it('verify-ca: the root, client certificate and key, CRLs; no host name check', async () => {
    const plan = await sslPlan('127.0.0.1', {
      sslmode: 'verify-ca',
      sslrootcert: files.ca,
      sslcert: files.cert,
      sslkey: files.key,
      sslpassword: 'pw',
      sslcrl: files.crl,
      sslcrldir: files.crlDir,
    });
    assert.equal(plan.attempts.length, 1);
    const tls = plan.attempts[0] as ConnectionOptions;
    assert.equal(text(tls.ca), 'CA');
    assert.equal(text(tls.cert), 'CERT');
    assert.equal(text(tls.key), 'KEY');
    assert.equal(tls.passphrase, 'pw');
    assert.deepEqual((tls.crl as Buffer[]).map(text), ['CRL', 'CRL-A']);
    assert.equal(tls.rejectUnauthorized, true);
    assert.equal(typeof tls.checkServerIdentity, 'function');
    assert.equal(tls.checkServerIdentity?.('other-name', {} as never), undefined);
  });

  it('verify-full keeps node’s host name check', async () => {
    const plan = await sslPlan('db.example', { sslmode: 'verify-full', sslrootcert: files.ca });
    const tls = plan.attempts[0] as ConnectionOptions;
    assert.equal(tls.checkServerIdentity, undefined);
    assert.equal(tls.rejectUnauthorized, true);
  });

  it('never TLS over a Unix socket, whatever sslmode says (libpq does not either)', async () => {
    const plan = await sslPlan('/tmp', { sslmode: 'verify-ca', sslrootcert: '/missing' });
    assert.deepEqual(plan.attempts, [false]);
  });

  it('prefer (the default) tries TLS first then plain; allow the other way; disable plain', async () => {
    const prefer = await sslPlan('h', { sslcert: files.cert, sslkey: files.key });
    assert.equal(prefer.attempts.length, 2);
    assert.equal((prefer.attempts[0] as ConnectionOptions).rejectUnauthorized, false);
    assert.equal(text((prefer.attempts[0] as ConnectionOptions).cert), 'CERT');
    assert.equal(prefer.attempts[1], false);
    const allow = await sslPlan('h', { sslmode: 'allow' });
    assert.equal(allow.attempts[0], false);
    assert.equal(allow.attempts.length, 2);
    assert.deepEqual((await sslPlan('h', { sslmode: 'disable' })).attempts, [false]);
  });

  it('require verifies when a root certificate is there, as libpq does', async () => {
    const without = await sslPlan('h', { sslmode: 'require' });
    assert.equal((without.attempts[0] as ConnectionOptions).rejectUnauthorized, false);
    const withRoot = await sslPlan('h', { sslmode: 'require', sslrootcert: files.ca });
    assert.equal((withRoot.attempts[0] as ConnectionOptions).rejectUnauthorized, true);
  });

  it('clear errors: a missing root certificate, an unreadable key, a bad sslmode', async () => {
    await assert.rejects(
      sslPlan('h', { sslmode: 'verify-ca' }),
      /root certificate file .* does not exist/,
    );
    await assert.rejects(
      sslPlan('h', {
        sslmode: 'verify-ca',
        sslrootcert: files.ca,
        sslcert: files.cert,
        sslkey: '/nope',
      }),
      /can not read sslkey file \/nope/,
    );
    await assert.rejects(sslPlan('h', { sslmode: 'verify' }), /invalid sslmode value: "verify"/);
    await assert.rejects(sslPlan('h', { gssencmode: 'require' }), /gssencmode=require/);
  });

  it('channel binding only when asked for and over TLS', async () => {
    assert.equal((await sslPlan('h', { channel_binding: 'require' })).channelBinding, true);
    assert.equal((await sslPlan('h', {})).channelBinding, false);
    assert.equal(
      (await sslPlan('h', { channel_binding: 'require', sslmode: 'disable' })).channelBinding,
      false,
    );
  });

  it('falls back only after "no TLS here" or an authorization refusal', () => {
    assert.equal(fallsBack(new Error('The server does not support SSL connections')), true);
    assert.equal(
      fallsBack(Object.assign(new Error('no pg_hba.conf entry'), { code: '28000' })),
      true,
    );
    assert.equal(fallsBack(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })), false);
    assert.equal(fallsBack(Object.assign(new Error('starting'), { code: '57P03' })), false);
  });
});
