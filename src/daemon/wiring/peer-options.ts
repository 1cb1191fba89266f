import type { RestApiOptions } from '../../api/options.js';
import type { PatroniConfig } from '../../config/schema.js';
import type { PeerClientOptions } from '../peer-client.js';

/**
 * How this node talks to other members' REST APIs (leader race checks, switchover candidates,
 * failsafe pings), as Patroni's PatroniRequest builds it from the whole config: `ctl` wins over
 * `restapi` for the credentials, the client certificate and the CA. A cluster whose REST API
 * requires client certificates (`verify_client: required`) only works if members present theirs:
 * without it every failsafe ping and candidate check is refused, and failsafe mode demotes the
 * leader as if its replicas were gone.
 */
export function peerClientOptions(
  config: Pick<PatroniConfig, 'ctl'>,
  rest: RestApiOptions,
  timeoutMs: number,
): PeerClientOptions {
  const ctl = config.ctl ?? {};
  const auth = ctl.authentication ?? rest.authentication;
  const certfile = ctl.certfile ?? rest.certfile;
  const keyfile = ctl.keyfile ?? rest.keyfile;
  const passphrase = ctl.keyfile_password ?? rest.keyfilePassword;
  const cafile = ctl.cacert ?? rest.cafile;
  return {
    timeoutMs,
    ...(auth === undefined ? {} : { username: auth.username, password: auth.password }),
    ...(certfile === undefined ? {} : { certfile }),
    ...(certfile === undefined || keyfile === undefined ? {} : { keyfile }),
    ...(certfile === undefined || passphrase === undefined ? {} : { passphrase }),
    ...(cafile === undefined ? {} : { cafile }),
  };
}
