import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRestApiOptions } from '../../api/options.js';
import { peerClientOptions } from './peer-options.js';

describe('peer client options', () => {
  it('presents the REST API certificate to peers, as Patroni does', () => {
    const rest = parseRestApiOptions({
      listen: '127.0.0.1:8008',
      certfile: '/c/rest.crt',
      keyfile: '/c/rest.key',
      keyfile_password: 'k',
      cafile: '/c/ca.crt',
      authentication: { username: 'u', password: 'p' },
    });
    assert.deepEqual(peerClientOptions({}, rest, 2000), {
      timeoutMs: 2000,
      username: 'u',
      password: 'p',
      certfile: '/c/rest.crt',
      keyfile: '/c/rest.key',
      passphrase: 'k',
      cafile: '/c/ca.crt',
    });
  });

  it('takes ctl before restapi for credentials, certificate and CA', () => {
    const rest = parseRestApiOptions({
      listen: '127.0.0.1:8008',
      certfile: '/c/rest.crt',
      cafile: '/c/ca.crt',
      authentication: { username: 'u', password: 'p' },
    });
    const ctl = {
      authentication: { username: 'cu', password: 'cp' },
      certfile: '/c/ctl.crt',
      keyfile: '/c/ctl.key',
      cacert: '/c/ctl-ca.crt',
    };
    assert.deepEqual(peerClientOptions({ ctl }, rest, 2000), {
      timeoutMs: 2000,
      username: 'cu',
      password: 'cp',
      certfile: '/c/ctl.crt',
      keyfile: '/c/ctl.key',
      cafile: '/c/ctl-ca.crt',
    });
  });

  it('sends no certificate where none is configured', () => {
    const rest = parseRestApiOptions({ listen: '127.0.0.1:8008' });
    assert.deepEqual(peerClientOptions({}, rest, 2000), { timeoutMs: 2000 });
  });
});
