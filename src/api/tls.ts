import { readFileSync } from 'node:fs';
import type { ServerOptions } from 'node:https';
import { PatroniError, errorMessage } from '../shared/errors.js';
import type { RestApiOptions } from './options.js';

function readOption(path: string, key: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new PatroniError(
      'CONFIG_INVALID',
      `restapi.${key}: cannot read ${path}: ${errorMessage(e)}`,
      {
        cause: e,
      },
    );
  }
}

/**
 * TLS server settings from `restapi`. `verify_client: required` refuses the handshake without
 * a certificate signed by `cafile`; `optional` asks for one and lets the access check refuse
 * unsafe calls that came without.
 */
export function tlsOptions(o: RestApiOptions): ServerOptions {
  const certfile = o.certfile ?? '';
  const opts: ServerOptions = {
    cert: readOption(certfile, 'certfile'),
    key: readOption(o.keyfile ?? certfile, o.keyfile === undefined ? 'certfile' : 'keyfile'),
    requestCert: o.verifyClient === 'optional' || o.verifyClient === 'required',
    rejectUnauthorized: o.verifyClient === 'required',
  };
  if (o.keyfilePassword !== undefined) opts.passphrase = o.keyfilePassword;
  if (o.cafile !== undefined) opts.ca = readOption(o.cafile, 'cafile');
  if (o.ciphers !== undefined) opts.ciphers = o.ciphers;
  return opts;
}
