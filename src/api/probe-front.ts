import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../shared/log/logger.js';
import { parseProbe, probeResponse, type Probe } from './probe.js';
import type { Reply } from './reply.js';

export interface ProbeFrontDeps {
  /** The health-check reply for a probe; null when a route of its own serves it. */
  readonly answer: (probe: Probe) => Reply | null;
  /**
   * What the answers are computed from: while the same object (and the same second, for the
   * `Date:` header), the bytes written for the same request are reused.
   */
  readonly source?: () => object;
  readonly serverHeader: string;
  /** False while `http_extra_headers` is set: those replies are left to the HTTP server. */
  readonly enabled: () => boolean;
  /** A connection that sends nothing gets a 408 after this long, as the HTTP server does. */
  readonly headersMs: number;
  /** TCP keepalive idle time, set (with no Nagle) on connections handed over. */
  readonly keepAliveDelayMs: number;
  readonly log: Logger;
  /** Told of each probe answered here (the REST request metrics). */
  readonly served?: (probe: Probe, status: number, seconds: number) => void;
}

/** Closes the connections still waiting for their first bytes (the server is stopping). */
export type ClosePending = () => void;

let cachedDate = '';
let cachedSecond = -1;

/** The `Date:` header value, formatted once a second as Node's HTTP server does. */
function httpDate(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedDate = new Date(second * 1000).toUTCString();
  }
  return cachedDate;
}

interface Rendered {
  readonly probe: Probe;
  readonly status: number;
  readonly bytes: Buffer;
}

/** Renders kept per request text; a few distinct probes are expected (HAProxy's, monitors'). */
const MAX_RENDERED = 32;

/** A failing answer (the daemon's view threw) is left to the HTTP server's 500 and its log. */
function answerOrNull(d: ProbeFrontDeps, probe: Probe): Reply | null {
  try {
    return d.answer(probe);
  } catch {
    return null;
  }
}

/**
 * Puts a probe answerer in front of a plain HTTP server's own connection handling: the first
 * bytes of each connection are read here; a probe (probe.ts) is answered and the connection
 * closed, anything else is handed to the HTTP server with those bytes put back, so it sees the
 * connection as if it had read it from the start (timeouts, keep-alive, errors unchanged).
 */
export function installProbeFront(http: Server, d: ProbeFrontDeps): ClosePending {
  const own = http.listeners('connection') as ((this: Server, socket: Socket) => void)[];
  http.removeAllListeners('connection');
  const pending = new Set<Socket>();
  const rendered = new Map<string, Rendered>();
  let renderedFrom: object | null = null;
  let renderedAt = '';

  /** The reply to the probe in `chunk`, rendered or reused; null: the HTTP server answers. */
  const render = (chunk: Buffer): Rendered | null => {
    if (!d.enabled()) return null;
    let source: object | null;
    try {
      source = d.source?.() ?? null;
    } catch {
      return null;
    }
    const date = httpDate();
    if (source === null || source !== renderedFrom || date !== renderedAt) {
      rendered.clear();
      renderedFrom = source;
      renderedAt = date;
    }
    const key = chunk.toString('latin1');
    const known = rendered.get(key);
    if (known !== undefined) return known;
    const probe = parseProbe(chunk);
    const reply = probe === null ? null : answerOrNull(d, probe);
    const bytes =
      probe === null || reply === null ? null : probeResponse(probe, reply, d.serverHeader, date);
    if (probe === null || reply === null || bytes === null) return null;
    const out = { probe, status: reply.status, bytes };
    if (source !== null && rendered.size < MAX_RENDERED) rendered.set(key, out);
    return out;
  };

  const handOver = (socket: Socket, chunk: Buffer | null): void => {
    socket.setNoDelay(true);
    socket.setKeepAlive(true, d.keepAliveDelayMs);
    if (chunk !== null) {
      socket.pause();
      socket.unshift(chunk);
    }
    for (const listener of own) listener.call(http, socket);
    // The HTTP server reads on from here; nothing arrives before this tick ends.
    if (chunk !== null) process.nextTick(() => socket.resume());
  };

  http.on('connection', (socket: Socket) => {
    pending.add(socket);
    const onError = (): void => {
      socket.destroy();
    };
    const settle = (): void => {
      pending.delete(socket);
      socket.setTimeout(0);
      socket.off('timeout', onTimeout);
      socket.off('close', onClose);
    };
    const onTimeout = (): void => {
      settle();
      socket.off('data', onData);
      d.log.debug('API client error: Request timeout');
      socket.end('HTTP/1.0 408 Request Timeout\r\n\r\n');
    };
    const onClose = (): void => {
      pending.delete(socket);
    };
    const onData = (chunk: Buffer): void => {
      settle();
      const started = performance.now();
      const answer = render(chunk);
      if (answer === null) {
        socket.off('error', onError);
        handOver(socket, chunk);
        return;
      }
      const { probe, status, bytes } = answer;
      // As the HTTP server closes after `Connection: close`: once the reply is out, without
      // waiting for the client's FIN. Late errors (a reset) only end this connection.
      socket.end(bytes, () => socket.destroy());
      const elapsed = performance.now() - started;
      d.served?.(probe, status, elapsed / 1000);
      // remoteAddress is a getpeername() call: only when the line is written.
      if (d.log.isEnabled?.('DEBUG') === false) return;
      const ms = elapsed.toFixed(3);
      const line = `${probe.method} ${probe.target} HTTP/${probe.httpVersion}`;
      d.log.debug(
        `API thread: ${socket.remoteAddress ?? '-'} - - "${line}" ${status} - latency: ${ms} ms`,
      );
    };
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.setTimeout(d.headersMs, onTimeout);
    socket.once('data', onData);
  });

  return () => {
    for (const socket of pending) socket.destroy();
    pending.clear();
  };
}
