import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseRestApiOptions, splitHostPort } from './options.js';
import { pyJsonDumps } from './py-json.js';
import { errorPage } from './reply.js';
import { normalizeIp } from './access.js';

describe('restapi options', () => {
  it('maps the patroni.yml section', () => {
    assert.deepEqual(
      parseRestApiOptions({
        listen: '0.0.0.0:8008',
        connect_address: '10.0.0.1:8008',
        authentication: { username: 'u', password: 'p' },
        certfile: '/c.pem',
        keyfile_password: 'k',
        verify_client: 'Required',
        allowlist: ['10.0.0.0/8'],
        allowlist_include_members: true,
        http_extra_headers: { 'X-A': 1 },
        request_queue_size: 10,
      }),
      {
        listen: '0.0.0.0:8008',
        connectAddress: '10.0.0.1:8008',
        certfile: '/c.pem',
        keyfilePassword: 'k',
        authentication: { username: 'u', password: 'p' },
        verifyClient: 'required',
        allowlist: ['10.0.0.0/8'],
        allowlistIncludeMembers: true,
        httpExtraHeaders: { 'X-A': '1' },
        requestQueueSize: 10,
      },
    );
  });
  it('reads our dashboard switch', () => {
    assert.equal(parseRestApiOptions({ listen: ':8008', dashboard: true }).dashboard, true);
    assert.equal(parseRestApiOptions({ listen: ':8008' }).dashboard, undefined);
    assert.throws(
      () => parseRestApiOptions({ listen: ':8008', dashboard: 'perhaps' }),
      /restapi\.dashboard: expected a boolean/,
    );
  });
  it('names the offending key', () => {
    assert.throws(() => parseRestApiOptions({}), /restapi\.listen: is required/);
    assert.throws(
      () => parseRestApiOptions({ listen: 'nohost' }),
      /expected <HOST>:<PORT> for "listen", but got "nohost"/,
    );
    assert.throws(
      () => parseRestApiOptions({ listen: ':8008', verify_client: 'maybe' }),
      /restapi\.verify_client/,
    );
    assert.throws(
      () => parseRestApiOptions({ listen: ':8008', authentication: { username: 'u' } }),
      /restapi\.authentication: both username and password are required/,
    );
    assert.throws(
      () => parseRestApiOptions({ listen: ':8008', allowlist: '10.0.0.1' }),
      /restapi\.allowlist/,
    );
  });
  it('refuses header values that would break the response', () => {
    assert.throws(
      () => parseRestApiOptions({ listen: ':8008', http_extra_headers: { 'X-A': 'a\nb' } }),
      /restapi\.http_extra_headers\.X-A: not a valid HTTP header/,
    );
  });
  it('splits listen addresses', () => {
    assert.deepEqual(splitHostPort('127.0.0.1:8008'), { host: '127.0.0.1', port: 8008 });
    assert.deepEqual(splitHostPort('*:8008'), { host: null, port: 8008 });
    assert.deepEqual(splitHostPort(':8008'), { host: null, port: 8008 });
    assert.deepEqual(splitHostPort('[::1]:8008'), { host: '::1', port: 8008 });
    assert.deepEqual(splitHostPort('::1:8008'), { host: '::1', port: 8008 });
    assert.throws(() => splitHostPort('host:99999'));
  });
});

describe('wire formatting', () => {
  it('writes JSON like Python json.dumps', () => {
    assert.equal(
      pyJsonDumps({ a: [1, 'é'], b: { c: null, d: true } }),
      '{"a": [1, "\\u00e9"], "b": {"c": null, "d": true}}',
    );
  });
  it('writes the stdlib error page', () => {
    const page = errorPage(502);
    assert.match(page, /<title>Error response<\/title>/);
    assert.match(page, /<p>Message: Bad Gateway\.<\/p>/);
    assert.match(
      page,
      /<p>Error code explanation: 502 - Invalid responses from another server\/proxy\.<\/p>/,
    );
    assert.match(
      errorPage(501, "Unsupported method ('POST')"),
      /Message: Unsupported method \('POST'\)\./,
    );
  });
  it('treats IPv4-mapped IPv6 clients as IPv4', () => {
    assert.equal(normalizeIp('::ffff:10.1.2.3'), '10.1.2.3');
    assert.equal(normalizeIp('::1'), '::1');
  });
});
