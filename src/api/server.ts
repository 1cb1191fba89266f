import { lookup } from 'node:dns/promises';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { PatroniError, errorMessage } from '../shared/errors.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { silentLogger, type Logger } from '../shared/log/logger.js';
import { AccessControl, type HostResolver } from './access.js';
import type { ApiContext } from './context.js';
import { AssetStore, DashboardHub, dashboardRoutes } from './dashboard/index.js';
import { dispatch, healthReply } from './dispatch.js';
import { splitHostPort, type RestApiOptions } from './options.js';
import { installProbeFront, type ClosePending } from './probe-front.js';
import { methodLabel, routeLabeller, type RestMetrics } from './metrics-port.js';
import { httpError, type Reply } from './reply.js';
import type { Route, RouteDeps } from './route.js';
import { ALL_ROUTES, routeTable } from './routes/index.js';
import { tlsOptions } from './tls.js';
import { writeReply } from './write-reply.js';

export interface RestApiServerDeps {
  readonly options: RestApiOptions;
  readonly context: ApiContext;
  readonly clock?: Clock;
  readonly log?: Logger;
  /** Host name resolution for the allowlist; dns.lookup by default. */
  readonly resolve?: HostResolver;
  /** `Server:` header; Patroni 3.0.2's Python stdlib value by default. */
  readonly serverHeader?: string;
  /** Override the handler table (tests). */
  readonly routes?: readonly Route[];
  /** The dashboard's event fan-out (tests pass their own to watch it). */
  readonly dashboard?: DashboardHub;
  /** Slow-client limits; the defaults suit load balancers and patronictl. */
  readonly timeouts?: Partial<ServerTimeouts>;
  /** Request counts and latencies, and the extra series of `GET /metrics`. */
  readonly metrics?: RestMetrics;
}

export interface ServerTimeouts {
  /** Time to receive the request headers. */
  readonly headersMs: number;
  /** Time to receive the whole request, body included. */
  readonly requestMs: number;
  /** Idle time before a kept-alive connection is closed. */
  readonly keepAliveMs: number;
  /**
   * Longest a handler may take before the client gets a 503: a wedged daemon call must not
   * hold a connection forever. Generous, as a restart may wait for primary_start_timeout.
   */
  readonly handlerMs: number;
}

/** Slow or silent clients must not pin sockets: Patroni serves load balancers. */
const DEFAULT_TIMEOUTS: ServerTimeouts = {
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 5_000,
  handlerMs: 600_000,
};

const TCP_KEEPALIVE_DELAY_MS = 10_000;

const defaultResolve: HostResolver = async (host) =>
  (await lookup(host, { all: true })).map((a) => a.address);

/** The `api_url` to publish: `<proto>://<connect_address or listen>/patroni`. */
export function apiUrl(options: RestApiOptions): string {
  const proto = options.certfile === undefined ? 'http' : 'https';
  return `${proto}://${options.connectAddress ?? options.listen}/patroni`;
}

/**
 * The REST API server (Patroni's `RestApiServer`). HTTP/1.1 with keep-alive for normal
 * replies; bare `HTTP/1.0 <code> <reason>` status lines (then close) where Patroni sends them.
 */
export class RestApiServer {
  private server: Server | null = null;
  private closePending: ClosePending = () => undefined;
  private options: RestApiOptions;
  private access: AccessControl | null = null;
  private readonly routes: ReadonlyMap<string, Route>;
  private readonly deps: RouteDeps;
  private readonly resolve: HostResolver;
  private readonly serverHeader: string;
  private readonly timeouts: ServerTimeouts;
  private readonly dashboard: DashboardHub;
  private readonly routeLabel: (target: string) => string;

  constructor(d: RestApiServerDeps) {
    this.options = d.options;
    const clock = d.clock ?? systemClock;
    const log = d.log ?? silentLogger;
    this.dashboard =
      d.dashboard ?? new DashboardHub(d.context, { wallNow: () => clock.wallNow(), log });
    this.routes = routeTable(
      d.routes ?? [...ALL_ROUTES, ...dashboardRoutes(this.dashboard, new AssetStore())],
    );
    this.deps = {
      ctx: d.context,
      clock,
      log,
      ...(d.metrics === undefined ? {} : { metrics: d.metrics }),
    };
    this.routeLabel = routeLabeller(this.routes);
    this.resolve = d.resolve ?? defaultResolve;
    this.serverHeader = d.serverHeader ?? 'BaseHTTP/0.6 Python/3.11.2';
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...d.timeouts };
  }

  get tls(): boolean {
    return this.options.certfile !== undefined;
  }

  async start(): Promise<void> {
    this.access = await this.buildAccess(this.options);
    const t = this.timeouts;
    // Node checks the header/request deadlines on this interval; keep it well under them.
    const common = {
      headersTimeout: t.headersMs,
      requestTimeout: t.requestMs,
      keepAliveTimeout: t.keepAliveMs,
      connectionsCheckingInterval: Math.max(50, Math.min(1000, t.headersMs / 4)),
      // No Nagle and TCP keepalive (Patroni's enable_keepalive(10 s)) on accepted sockets. In
      // front of plain HTTP the probe front sets them on the connections it hands over: a
      // probe's connection is over before either matters, and they are 5 setsockopt calls.
      noDelay: this.tls,
      keepAlive: this.tls,
      keepAliveInitialDelay: TCP_KEEPALIVE_DELAY_MS,
      // Health checkers like `option httpchk GET /primary HTTP/1.1` often send no Host header;
      // Python's server never required one.
      requireHostHeader: false,
    };
    const server = this.tls
      ? createHttpsServer({ ...tlsOptions(this.options), ...common })
      : createHttpServer(common);
    if (!this.tls) {
      this.closePending = installProbeFront(server, {
        answer: (probe) => healthReply(probe.method, probe.target, this.routes, this.deps),
        source: () => this.deps.ctx.view(),
        serverHeader: this.serverHeader,
        enabled: () => Object.keys(this.options.httpExtraHeaders ?? {}).length === 0,
        headersMs: t.headersMs,
        keepAliveDelayMs: TCP_KEEPALIVE_DELAY_MS,
        log: this.deps.log,
        served: (probe, status, seconds) => {
          this.countRequest(probe.method, probe.target, status, seconds);
        },
      });
    }
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      void this.onRequest(req, res);
    });
    server.keepAliveTimeout = t.keepAliveMs;
    server.on('clientError', (err: Error, socket: import('node:stream').Duplex) => {
      this.deps.log.debug(`API client error: ${err.message}`);
      const timedOut = (err as { code?: unknown }).code === 'ERR_HTTP_REQUEST_TIMEOUT';
      const line = timedOut ? '408 Request Timeout' : '400 Bad Request';
      if (socket.writable) socket.end(`HTTP/1.0 ${line}\r\n\r\n`);
      else socket.destroy();
    });
    server.on('tlsClientError', (err: Error) => {
      this.deps.log.debug(`API TLS handshake failed: ${err.message}`);
    });
    await this.listen(server);
    this.server = server;
  }

  private listen(server: Server): Promise<void> {
    const { host, port } = splitHostPort(this.options.listen);
    const backlog = this.options.requestQueueSize ?? 511;
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => {
        reject(
          new PatroniError(
            'CONFIG_INVALID',
            `Couldn't start a service on '${host ?? '*'}:${port}', please check your ` +
              `\`restapi.listen\` configuration: ${err.message}`,
            { cause: err },
          ),
        );
      };
      server.once('error', onError);
      const done = (): void => {
        server.off('error', onError);
        server.on('error', (err) => {
          this.deps.log.error(`REST API server error: ${err.message}`);
        });
        resolve();
      };
      if (host === null) server.listen(port, backlog, done);
      else server.listen(port, host, backlog, done);
    });
  }

  /** The bound address (the real port when `listen` said 0). */
  address(): { host: string; port: number } {
    const a = this.server?.address() as AddressInfo | null | undefined;
    if (a === null || a === undefined) throw new PatroniError('INTERNAL', 'REST API not started');
    return { host: a.address, port: a.port };
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server === null) return;
    this.dashboard.close();
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
      server.closeAllConnections();
      this.closePending();
    });
  }

  /**
   * New `restapi` settings: a changed listen address or TLS setup restarts the listener;
   * anything else (auth, allowlist, headers) applies to the next request. Certificates are
   * re-read either way, so a renewed certificate takes effect on reload.
   */
  async reload(options: RestApiOptions): Promise<void> {
    const old = this.options;
    const access = await this.buildAccess(options);
    this.options = options;
    this.access = access;
    // Open dashboard streams were let in under the old rules (or with the dashboard on): end
    // them, and the browsers' reconnects pass the new checks.
    if (JSON.stringify(old) !== JSON.stringify(options)) this.dashboard.close();
    const keys = ['listen', 'certfile', 'keyfile', 'keyfilePassword', 'cafile', 'ciphers'] as const;
    const relisten =
      keys.some((k) => old[k] !== options[k]) || old.verifyClient !== options.verifyClient;
    if (this.server === null) return;
    if (relisten) {
      await this.stop();
      await this.start();
    } else if (this.tls && 'setSecureContext' in this.server) {
      (this.server as import('node:https').Server).setSecureContext(tlsOptions(options));
    }
  }

  private buildAccess(options: RestApiOptions): Promise<AccessControl> {
    const memberHosts = (): string[] =>
      (this.deps.ctx.view().cluster?.members ?? []).flatMap((m) => {
        if (m.apiUrl === null) return [];
        try {
          return [new URL(m.apiUrl).hostname.replace(/^\[(.*)\]$/, '$1')];
        } catch {
          return [];
        }
      });
    return AccessControl.create(options, this.resolve, memberHosts, this.deps.log);
  }

  private countRequest(
    method: string | undefined,
    target: string,
    status: number,
    seconds: number,
  ): void {
    this.deps.metrics?.observeRequest(
      this.routeLabel(target),
      methodLabel(method),
      status,
      seconds,
    );
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    let reply: Reply;
    try {
      if (this.access === null) throw new PatroniError('INTERNAL', 'REST API not started');
      const result = await withDeadline(
        dispatch(req, this.routes, this.access, this.options, this.deps),
        this.timeouts.handlerMs,
        `${req.method ?? '?'} ${req.url ?? ''} did not finish within ${this.timeouts.handlerMs} ms`,
      );
      if (result.note !== undefined) this.deps.log.warning(result.note);
      reply = result.reply;
    } catch (e) {
      this.deps.log.error(
        `Exception in REST API handler for ${req.method ?? '?'} ${req.url ?? ''}: ${errorMessage(e)}`,
      );
      reply = httpError(500, oneLine(errorMessage(e)));
    }
    try {
      writeReply(req, res, reply, {
        serverHeader: this.serverHeader,
        extraHeaders: {
          ...this.options.httpExtraHeaders,
          ...(this.tls ? this.options.httpsExtraHeaders : {}),
        },
      });
    } catch (e) {
      // e.g. an http_extra_headers value with a newline: drop this connection, keep serving.
      this.deps.log.error(`REST API could not write the response: ${errorMessage(e)}`);
      req.socket.destroy();
    }
    const elapsed = performance.now() - started;
    this.countRequest(req.method, req.url ?? '/', reply.status, elapsed / 1000);
    // remoteAddress is a getpeername() call: only when the line is written.
    if (this.deps.log.isEnabled?.('DEBUG') === false) return;
    const ms = elapsed.toFixed(3);
    const line = `${req.method ?? '?'} ${req.url ?? ''} HTTP/${req.httpVersion}`;
    this.deps.log.debug(
      `API thread: ${req.socket.remoteAddress ?? '-'} - - "${line}" ${reply.status} - latency: ${ms} ms`,
    );
  }
}

/** The handler's answer, or a 503 reply once `ms` have passed (the handler keeps running). */
function withDeadline<T extends { reply: Reply }>(
  work: Promise<T>,
  ms: number,
  what: string,
): Promise<T | { reply: Reply; note: string }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{ reply: Reply; note: string }>((resolve) => {
    timer = setTimeout(() => {
      resolve({ reply: httpError(503, 'request timed out'), note: what });
    }, ms);
  });
  return Promise.race([work, late]).finally(() => {
    clearTimeout(timer);
  });
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').slice(0, 500);
}
