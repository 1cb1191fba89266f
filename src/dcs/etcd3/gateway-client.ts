import {
  Agent as HttpAgent,
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
  type RequestOptions,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import {
  GatewayError,
  TransportError,
  UnsupportedVersionError,
  isAuthTokenError,
} from './errors.js';
import type { StoreAnswers } from './stream-liveness.js';

/** PEM contents for `protocol: https` (read from patroni.yml's cacert, cert and key). */
export interface TlsFiles {
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

export interface EndpointOptions {
  /** `http://host:port` or `https://host:port`. */
  readonly origin: string;
  readonly tls?: TlsFiles;
  readonly credentials?: Credentials;
  /**
   * A stream (watch) may be silent for long: after this long without a message it is probed
   * (see `OpenStream.send`), and its TCP connection sends keep-alive probes (ms).
   */
  readonly streamIdleMs: number;
  /** Notes the revision of every answer (a silent watch is checked against it). */
  readonly answers?: StoreAnswers;
}

/** A streaming POST whose response is being read. */
export interface OpenStream {
  readonly response: IncomingMessage;
  /**
   * Sends one more request message on the stream (its body stays open), or null when the
   * server's version takes no more than the first one (before 3.4: no progress requests).
   */
  readonly send: ((message: object) => void) | null;
}

/**
 * The API prefix of a server version, as Patroni picks it: etcd 3.0 serves `/v3alpha`, 3.1 to
 * 3.3 `/v3beta`, 3.4 and later `/v3`.
 */
export function apiPrefixFor(version: string): string {
  const [major = NaN, minor = NaN] = version.split('.').map(Number);
  if (!(major >= 3) || Number.isNaN(minor))
    throw new UnsupportedVersionError(`etcd version ${version} has no v3 gateway`);
  if (major === 3 && minor === 0) return '/v3alpha';
  if (major === 3 && minor < 4) return '/v3beta';
  return '/v3';
}

/** An error answer as the gateway writes it: `{error, code, message}` (streams nest it). */
function gatewayError(status: number, body: unknown): GatewayError {
  const raw = (body as { error?: unknown } | null)?.error;
  const detail = (typeof raw === 'object' && raw !== null ? raw : body) as {
    message?: unknown;
    code?: unknown;
    grpc_code?: unknown;
  } | null;
  const message =
    typeof detail?.message === 'string'
      ? detail.message
      : typeof raw === 'string'
        ? raw
        : `HTTP ${status}`;
  const code = detail?.code ?? detail?.grpc_code;
  return new GatewayError(message, typeof code === 'number' ? code : undefined, status);
}

export function parseAnswer(status: number, text: string): unknown {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    if (status >= 400) throw new GatewayError(`HTTP ${status}`, undefined, status);
    throw new TransportError(`answer is not JSON (HTTP ${status})`);
  }
  if (status >= 400 || (typeof body === 'object' && body !== null && 'error' in body))
    throw gatewayError(status, body);
  return body;
}

/** Why a request was aborted (its deadline), rather than "the operation was aborted". */
function reasonOf<E>(signal: AbortSignal, error: E): E | Error {
  return signal.aborted && signal.reason instanceof Error ? signal.reason : error;
}

async function readAll(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  if (!res.complete) throw new TransportError('answer cut short');
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * One etcd endpoint over its HTTP/JSON gateway, as Patroni's etcd3 client talks to it: unary
 * calls share one kept-alive connection; each stream (watch) gets a connection of its own. The
 * API prefix is asked once (`GET /version`); with a username, a token from `/auth/authenticate`
 * goes in the `Authorization` header and is renewed once when etcd calls it invalid.
 */
export class GatewayClient {
  private readonly agent: HttpAgent;
  private apiPrefix: string | null = null;
  private token: string | null = null;

  constructor(private readonly options: EndpointOptions) {
    const agentOptions = { keepAlive: true, maxSockets: 1 };
    this.agent =
      options.tls === undefined
        ? new HttpAgent(agentOptions)
        : new HttpsAgent({ ...agentOptions, ...options.tls });
  }

  get origin(): string {
    return this.options.origin;
  }

  get streamIdleMs(): number {
    return this.options.streamIdleMs;
  }

  /** POST `body` to `path` under the API prefix; resolves to the parsed answer. */
  async call(path: string, body: object, signal: AbortSignal): Promise<unknown> {
    const prefix = await this.prefix(signal);
    await this.ensureToken(prefix, signal);
    try {
      return await this.post(prefix + path, body, signal);
    } catch (error) {
      if (this.options.credentials === undefined || !isAuthTokenError(error)) throw error;
      this.token = null;
      await this.ensureToken(prefix, signal);
      return this.post(prefix + path, body, signal);
    }
  }

  /**
   * Opens a streaming POST on a connection of its own; the caller reads it and destroys the
   * response when done (which closes the connection).
   */
  async openStream(path: string, body: object, signal: AbortSignal): Promise<OpenStream> {
    const prefix = await this.prefix(signal);
    await this.ensureToken(prefix, signal);
    const keepOpen = prefix === '/v3';
    let request: ClientRequest | undefined;
    const res = await this.send('POST', prefix + path, JSON.stringify(body), false, signal, {
      keepOpen,
      onRequest: (req) => (request = req),
    });
    if (res.statusCode === 200) {
      const req = request;
      const send =
        keepOpen && req !== undefined
          ? (message: object): void => {
              req.write(JSON.stringify(message));
            }
          : null;
      return { response: res, send };
    }
    const status = res.statusCode ?? 0;
    const error = await readAll(res).then(
      (text) => {
        try {
          parseAnswer(status, text);
          return new GatewayError(`HTTP ${String(status)}`, undefined, status);
        } catch (e) {
          return e;
        }
      },
      (e: unknown) => e,
    );
    if (isAuthTokenError(error)) this.token = null;
    throw error;
  }

  /** Forget the token after a stream said it is invalid. */
  dropToken(): void {
    this.token = null;
  }

  close(): void {
    this.agent.destroy();
  }

  private async prefix(signal: AbortSignal): Promise<string> {
    if (this.apiPrefix !== null) return this.apiPrefix;
    const res = await this.send('GET', '/version', undefined, this.agent, signal);
    const version = parseAnswer(res.statusCode ?? 0, await readAll(res)) as {
      etcdcluster?: string;
      etcdserver?: string;
    };
    // etcdcluster is "not_decided" while a new cluster agrees on its version.
    const cluster = version.etcdcluster ?? '';
    this.apiPrefix = apiPrefixFor(/^\d+\.\d+/.test(cluster) ? cluster : (version.etcdserver ?? ''));
    return this.apiPrefix;
  }

  private async ensureToken(prefix: string, signal: AbortSignal): Promise<void> {
    const credentials = this.options.credentials;
    if (credentials === undefined || this.token !== null) return;
    const answer = (await this.post(
      `${prefix}/auth/authenticate`,
      { name: credentials.username, password: credentials.password },
      signal,
    )) as { token?: string };
    if (answer.token === undefined || answer.token === '')
      throw new GatewayError('authenticate: no token in the answer', undefined, 200);
    this.token = answer.token;
  }

  private async post(path: string, body: object, signal: AbortSignal): Promise<unknown> {
    try {
      const res = await this.send('POST', path, JSON.stringify(body), this.agent, signal);
      const answer = parseAnswer(res.statusCode ?? 0, await readAll(res));
      this.options.answers?.note(answer, performance.now());
      return answer;
    } catch (error) {
      throw reasonOf(signal, error);
    }
  }

  /** Resolves with the response once its headers are in; the deadline is `signal`'s. */
  private send(
    method: 'GET' | 'POST',
    path: string,
    body: string | undefined,
    agent: HttpAgent | false,
    signal: AbortSignal,
    stream?: { keepOpen: boolean; onRequest: (req: ClientRequest) => void },
  ): Promise<IncomingMessage> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.token !== null) headers['Authorization'] = this.token;
    const options: RequestOptions = {
      method,
      agent,
      signal,
      headers,
      ...(agent === false ? (this.options.tls ?? {}) : {}),
    };
    const url = new URL(path, this.options.origin);
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = (this.options.tls === undefined ? httpRequest : httpsRequest)(
        url,
        options,
        resolve,
      );
      req.on('error', (error) => {
        reject(reasonOf(signal, error));
      });
      if (stream === undefined) {
        req.end(body);
        return;
      }
      stream.onRequest(req);
      req.on('socket', (socket) => {
        socket.setKeepAlive(true, this.options.streamIdleMs);
      });
      if (stream.keepOpen) req.write(body ?? '');
      else req.end(body);
    });
  }
}
