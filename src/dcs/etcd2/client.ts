import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Credentials, TlsFiles } from '../etcd3/gateway-client.js';
import { GatewayError, TransportError } from '../etcd3/errors.js';
import { V2DisabledError } from './errors.js';

/** One answer of etcd's v2 API: its HTTP status, parsed JSON body and `X-Etcd-Index`. */
export interface V2Answer {
  readonly status: number;
  readonly body: unknown;
  /** The store index the answer was given at (header `X-Etcd-Index`), when sent. */
  readonly etcdIndex: number | null;
}

export type V2Params = Readonly<Record<string, string | number | boolean>>;

export interface V2EndpointOptions {
  /** `http://host:port` or `https://host:port`. */
  readonly origin: string;
  readonly tls?: TlsFiles;
  /** Sent as HTTP basic authentication, as Patroni's v2 client does. */
  readonly credentials?: Credentials;
}

function encode(params: V2Params): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) search.set(k, String(v));
  return search.toString();
}

async function readAll(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  if (!res.complete) throw new TransportError('answer cut short');
  return Buffer.concat(chunks).toString('utf8');
}

/** Why a request was aborted (its deadline), rather than "the operation was aborted". */
function reasonOf(signal: AbortSignal, error: unknown): Error {
  if (signal.aborted && signal.reason instanceof Error) return signal.reason;
  return error instanceof Error ? error : new TransportError(String(error));
}

/**
 * One etcd endpoint over the v2 HTTP API (`/v2/keys`, `/v2/machines`), the way Patroni's v2
 * client (python-etcd) talks to it: parameters in the query string (GET, DELETE) or as a form
 * body (PUT), unary calls on one kept-alive connection, watches (`wait=true`) on a connection
 * of their own so that a long poll never holds up a write.
 *
 * Answers etcd gives as v2 JSON (`errorCode` included: key not found, compare failed) are
 * returned, not thrown: the caller decides which are results. A 404 that is not v2 JSON means
 * the server does not serve the v2 API at all (etcd 3.4+ without `--enable-v2`).
 */
export class V2Client {
  private readonly agent: HttpAgent;
  private readonly watchAgent: HttpAgent;

  constructor(private readonly options: V2EndpointOptions) {
    const agentOptions = { keepAlive: true, maxSockets: 1 };
    this.agent =
      options.tls === undefined
        ? new HttpAgent(agentOptions)
        : new HttpsAgent({ ...agentOptions, ...options.tls });
    this.watchAgent =
      options.tls === undefined
        ? new HttpAgent(agentOptions)
        : new HttpsAgent({ ...agentOptions, ...options.tls });
  }

  get origin(): string {
    return this.options.origin;
  }

  /** A call on the `/v2/keys` tree; `key` is absolute (`/service/batman/leader`). */
  keys(
    method: 'GET' | 'PUT' | 'DELETE',
    key: string,
    params: V2Params,
    signal: AbortSignal,
  ): Promise<V2Answer> {
    const path = `/v2/keys${key.split('/').map(encodeURIComponent).join('/')}`;
    const watching = params['wait'] === true;
    return this.request(method, path, params, watching ? this.watchAgent : this.agent, signal);
  }

  /** `GET /v2/machines`: the client URLs of the cluster's members, comma-separated. */
  async machines(signal: AbortSignal): Promise<string[]> {
    const res = await this.send('GET', '/v2/machines', undefined, this.agent, signal);
    const text = await readAll(res);
    if ((res.statusCode ?? 0) >= 400)
      throw answerError(res.statusCode ?? 0, text, '/v2/machines', this.origin);
    return text
      .split(',')
      .map((m) => m.trim())
      .filter((m) => m !== '');
  }

  close(): void {
    this.agent.destroy();
    this.watchAgent.destroy();
  }

  private async request(
    method: 'GET' | 'PUT' | 'DELETE',
    path: string,
    params: V2Params,
    agent: HttpAgent,
    signal: AbortSignal,
  ): Promise<V2Answer> {
    const query = encode(params);
    const res =
      method === 'PUT'
        ? await this.send(method, path, query, agent, signal)
        : await this.send(
            method,
            query === '' ? path : `${path}?${query}`,
            undefined,
            agent,
            signal,
          );
    let text: string;
    try {
      text = await readAll(res);
    } catch (error) {
      throw reasonOf(signal, error);
    }
    const status = res.statusCode ?? 0;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw answerError(status, text, path, this.origin);
    }
    const header = res.headers['x-etcd-index'];
    const etcdIndex = typeof header === 'string' && /^\d+$/.test(header) ? Number(header) : null;
    if (status >= 500 || (status >= 400 && !isV2Error(body))) {
      const message = (body as { message?: unknown } | null)?.message;
      throw new GatewayError(
        typeof message === 'string' ? message : `HTTP ${status}`,
        undefined,
        status,
      );
    }
    return { status, body, etcdIndex };
  }

  private send(
    method: string,
    path: string,
    form: string | undefined,
    agent: HttpAgent,
    signal: AbortSignal,
  ): Promise<IncomingMessage> {
    const headers: Record<string, string> = {};
    if (form !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const c = this.options.credentials;
    if (c !== undefined)
      headers['Authorization'] =
        `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
    const url = new URL(path, this.options.origin);
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = (this.options.tls === undefined ? httpRequest : httpsRequest)(
        url,
        { method, agent, signal, headers },
        resolve,
      );
      req.on('error', (error) => {
        reject(reasonOf(signal, error));
      });
      req.end(form);
    });
  }
}

/** A v2 error answer: `{errorCode, message, cause, index}`. */
export function isV2Error(body: unknown): body is { errorCode: number; message?: string } {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { errorCode?: unknown }).errorCode === 'number'
  );
}

/** An answer that is not v2 JSON: a server without the v2 API, or some other HTTP failure. */
function answerError(status: number, text: string, path: string, origin: string): Error {
  if (status === 404) return new V2DisabledError(origin);
  if (status === 401 || status === 403)
    return new GatewayError(
      `${path}: HTTP ${status} ${text.trim().slice(0, 200)}`,
      undefined,
      status,
    );
  if (status >= 400) return new GatewayError(`${path}: HTTP ${status}`, undefined, status);
  return new TransportError(`${path}: answer is not JSON (HTTP ${status})`);
}
