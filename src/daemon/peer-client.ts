import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';

export interface PeerClientOptions {
  /** `restapi.authentication`: peers share REST credentials (Patroni's rule). */
  readonly username?: string;
  readonly password?: string;
  /** Client certificate for peers that require one (`ctl.certfile` / `restapi.certfile`). */
  readonly certfile?: string;
  readonly keyfile?: string;
  /** `keyfile_password`: the passphrase of an encrypted key. */
  readonly passphrase?: string;
  readonly cafile?: string;
  readonly timeoutMs: number;
}

export interface PeerResponse {
  readonly status: number;
  readonly body: string;
}

/**
 * Talks to other members' REST APIs. Patroni verifies peer certificates only when it presents a
 * client certificate itself; we do the same so mixed clusters behave alike.
 */
export class PeerClient {
  constructor(
    private readonly options: PeerClientOptions,
    private readonly readFile: (path: string) => Buffer,
  ) {}

  /** GET a member's `api_url`; null when unreachable, timed out or not JSON. */
  async getStatus(apiUrl: string): Promise<Record<string, unknown> | null> {
    try {
      const res = await this.send('GET', apiUrl, undefined);
      if (res.status !== 200 && res.status !== 503) return null;
      const parsed: unknown = JSON.parse(res.body);
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : null;
    } catch {
      return null;
    }
  }

  /** POST to `<scheme>://<host>:<port>/<endpoint>` of a member's `api_url`. */
  async post(apiUrl: string, endpoint: string, body: unknown): Promise<PeerResponse | null> {
    const url = new URL(apiUrl);
    url.pathname = `/${endpoint}`;
    try {
      return await this.send('POST', url.toString(), JSON.stringify(body));
    } catch {
      return null;
    }
  }

  private send(method: string, target: string, body: string | undefined): Promise<PeerResponse> {
    const url = new URL(target);
    const headers: Record<string, string> = { 'User-Agent': 'Patroni/3.0.2 patroni-ts' };
    if (this.options.username !== undefined) {
      const token = `${this.options.username}:${this.options.password ?? ''}`;
      headers['Authorization'] = `Basic ${Buffer.from(token).toString('base64')}`;
    }
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const options: RequestOptions = { method, headers, timeout: this.options.timeoutMs };
    if (url.protocol === 'https:') Object.assign(options, this.tlsOptions());
    const requestFn = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = requestFn(url, options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`timeout after ${this.options.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  private tlsOptions(): RequestOptions {
    const o = this.options;
    if (o.certfile === undefined) return { rejectUnauthorized: false };
    return {
      cert: this.readFile(o.certfile),
      key: this.readFile(o.keyfile ?? o.certfile),
      ...(o.passphrase === undefined ? {} : { passphrase: o.passphrase }),
      ...(o.cafile === undefined ? {} : { ca: this.readFile(o.cafile) }),
      rejectUnauthorized: true,
      checkServerIdentity: () => undefined,
    };
  }
}
