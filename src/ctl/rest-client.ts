import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';
import type { Member } from '../core/model/index.js';
import { PatroniError } from '../shared/errors.js';
import type { RestSettings } from './config.js';
import type { HttpMethod, RestClient, RestResponse } from './ports.js';
import { pyJsonDumps } from './render/pyjson.js';

export const CTL_USER_AGENT = 'Patroni/3.0.2 patroni-ts patronictl';

export interface RestClientOptions {
  readonly settings: RestSettings;
  /** Whole-request budget. A switchover answer can take 2 * max(10, loop_wait) seconds. */
  readonly timeoutMs?: number;
}

/** `<scheme>://<host:port of api_url>/<endpoint>`, as PatroniRequest builds it. */
export function endpointUrl(apiUrl: string, endpoint?: string): URL {
  const url = new URL(apiUrl);
  if (endpoint !== undefined) {
    // `journal?since=12`: the path and our own query string (never the api_url's).
    const [path = '', query] = endpoint.split('?', 2);
    url.pathname = `/${path.replace(/^\/+/, '')}`;
    url.search = query === undefined ? '' : `?${query}`;
    url.hash = '';
  }
  return url;
}

function readPem(path: string | null, what: string): Buffer | undefined {
  if (path === null) return undefined;
  try {
    return readFileSync(path);
  } catch (error) {
    throw new PatroniError('CONFIG_INVALID', `cannot read ${what} ${path}`, { cause: error });
  }
}

/** Patroni REST calls over node:http/https, with ctl/restapi basic auth and TLS settings. */
export function createRestClient(options: RestClientOptions): RestClient {
  const s = options.settings;
  const timeoutMs = options.timeoutMs ?? 60_000;
  let tls: Record<string, unknown> | null = null;
  const tlsOptions = (): Record<string, unknown> => {
    tls ??= {
      ca: readPem(s.cacert, 'ctl.cacert'),
      cert: readPem(s.certfile, 'ctl.certfile'),
      key: readPem(s.keyfile, 'ctl.keyfile'),
      ...(s.keyfilePassword !== null ? { passphrase: s.keyfilePassword } : {}),
      rejectUnauthorized: !s.insecure,
    };
    return tls;
  };
  return {
    request(
      member: Member,
      method: HttpMethod,
      endpoint?: string,
      body?: unknown,
    ): Promise<RestResponse> {
      if (member.apiUrl === null) {
        return Promise.reject(
          new PatroniError('REST_UNREACHABLE', `member ${member.name} has no api_url`),
        );
      }
      const url = endpointUrl(member.apiUrl, endpoint);
      const payload =
        body === undefined ? undefined : typeof body === 'string' ? body : pyJsonDumps(body);
      const headers: Record<string, string> = { 'User-Agent': CTL_USER_AGENT };
      if (payload !== undefined) {
        headers['Content-Type'] = 'application/json';
        headers['Content-Length'] = String(Buffer.byteLength(payload));
      }
      if (s.auth !== null)
        headers['Authorization'] = `Basic ${Buffer.from(s.auth).toString('base64')}`;
      const isHttps = url.protocol === 'https:';
      return send(
        url,
        { method, headers, ...(isHttps ? tlsOptions() : {}) },
        payload,
        timeoutMs,
        isHttps,
      );
    },
  };
}

function send(
  url: URL,
  options: RequestOptions,
  payload: string | undefined,
  timeoutMs: number,
  isHttps: boolean,
): Promise<RestResponse> {
  return new Promise((resolve, reject) => {
    const req = (isHttps ? httpsRequest : httpRequest)(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (error) => {
        reject(unreachable(url, error));
      });
    });
    req.setTimeout(timeoutMs, () => {
      req.destroy(new Error(`timed out after ${timeoutMs} ms`));
    });
    req.on('error', (error) => {
      reject(unreachable(url, error));
    });
    req.end(payload);
  });
}

function unreachable(url: URL, error: Error): PatroniError {
  return new PatroniError('REST_UNREACHABLE', `${url.origin}${url.pathname}: ${error.message}`, {
    cause: error,
    recoverable: true,
  });
}
