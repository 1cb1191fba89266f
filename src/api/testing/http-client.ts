import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { connect } from 'node:net';

export interface TestResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

export interface TestRequest {
  readonly method?: string;
  readonly body?: string;
  readonly headers?: OutgoingHttpHeaders;
  /** Extra TLS settings (ca, cert, key) for https URLs. */
  readonly tls?: RequestOptions;
  readonly timeoutMs?: number;
}

/** One request on a fresh connection; rejects on network errors and timeouts. */
export function call(url: string, r: TestRequest = {}): Promise<TestResponse> {
  const target = new URL(url);
  const headers: OutgoingHttpHeaders = { ...r.headers };
  if (r.body !== undefined && headers['content-length'] === undefined) {
    headers['content-length'] = Buffer.byteLength(r.body);
  }
  const options: RequestOptions = {
    method: r.method ?? 'GET',
    headers,
    agent: false,
    timeout: r.timeoutMs ?? 10_000,
    ...r.tls,
  };
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(target, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timeout: ${r.method ?? 'GET'} ${url}`)));
    req.on('error', reject);
    req.end(r.body);
  });
}

/** Sends raw bytes and returns everything the server wrote before closing. */
export function rawExchange(port: number, payload: string, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('raw exchange timed out')));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    socket.on('error', reject);
    socket.write(payload);
  });
}
