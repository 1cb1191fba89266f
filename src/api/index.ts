/** The REST API's public surface, for the daemon's composition root. */
export { RestApiServer, apiUrl, type RestApiServerDeps, type ServerTimeouts } from './server.js';
export {
  parseRestApiOptions,
  splitHostPort,
  type RestApiOptions,
  type VerifyClient,
} from './options.js';
export type { ApiContext, FailoverValue, RestartOutcome } from './context.js';
export { composeApiContext, type ApiContextParts, type DaemonActions } from './compose.js';
export type { HostResolver } from './access.js';
