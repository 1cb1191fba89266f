import { readFile } from 'node:fs/promises';
import {
  Etcd3,
  type ICompare,
  type IOptions,
  type IRequestOp,
  type IResponseOp,
  type ITxnResponse,
} from 'etcd3';
import { systemClock, type Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/log/logger.js';
import type {
  Guard,
  KvBackend,
  KeyHolder,
  KvEntry,
  KvEvent,
  PutOptions,
  WriteOutcome,
} from '../kv/backend.js';
import { classify } from './errors.js';
import type { Etcd3Options } from './options.js';
import { Retrying, type CallOptions } from './retrying.js';
import { watchPrefix } from './watch.js';

type FaultHandling = NonNullable<IOptions['faultHandling']>;
type Policy = NonNullable<FaultHandling['global']>;

/**
 * A policy that runs the call once. The library's default (3 retries, and a circuit breaker
 * that refuses every call for 5 s after 3 failures) would both stretch a call past
 * retry_timeout and keep failing after etcd came back; `Retrying` is our only policy.
 */
const passThrough = {
  // async, so that a synchronous throw becomes a rejection: the library's markFailed() relies
  // on `.catch()` of the returned promise.
  execute: async <T>(fn: (context: { signal: AbortSignal }) => PromiseLike<T> | T): Promise<T> =>
    fn({ signal: new AbortController().signal }),
  onSuccess: () => ({ dispose: () => undefined }),
  onFailure: () => ({ dispose: () => undefined }),
} as unknown as Policy; // the library only calls execute(); the events are never subscribed

type WatchBackoff = NonNullable<FaultHandling['watchBackoff']>;

/**
 * Re-open a broken watch stream every half second. The default grows to 30 s, and its pending
 * timer would keep a closed client's process alive that long.
 */
const WATCH_RETRY_MS = 500;
const constantWatchBackoff: WatchBackoff = {
  duration: WATCH_RETRY_MS,
  next: () => constantWatchBackoff,
};

const buf = (s: string): Buffer => Buffer.from(s, 'utf8');

/** The end of a prefix range: the prefix with its last byte incremented. */
export function prefixEnd(prefix: string): Buffer {
  const b = Buffer.from(prefix, 'utf8');
  const end = Buffer.from(b);
  end[end.length - 1] = (b[b.length - 1] ?? 0) + 1;
  return end;
}

function compareFor(key: string, guard: Guard): ICompare[] {
  const k = buf(key);
  switch (guard.kind) {
    case 'absent':
      return [{ key: k, target: 'Create', result: 'Equal', create_revision: 0 }];
    case 'revision':
      return [{ key: k, target: 'Mod', result: 'Equal', mod_revision: guard.revision }];
    case 'value':
    case 'valueOrAbsent':
      return [{ key: k, target: 'Value', result: 'Equal', value: buf(guard.value) }];
  }
}

/** A txn that either succeeded or, for valueOrAbsent, whose nested create-txn succeeded. */
function txnSucceeded(resp: ITxnResponse): boolean {
  if (resp.succeeded) return true;
  // Only the op that ran is present (the library's type says otherwise).
  const first = resp.responses[0] as Partial<IResponseOp> | undefined;
  return first?.response_txn?.succeeded === true;
}

/** The key read by a failed txn's request_range, or undefined when it did not read one. */
function holderOf(resp: ITxnResponse): KeyHolder | null | undefined {
  const range = (resp.responses[0] as Partial<IResponseOp> | undefined)?.response_range;
  if (range === undefined) return undefined;
  const kv = range.kvs[0];
  if (kv === undefined) return null;
  return {
    value: kv.value.toString('utf8'),
    lease: kv.lease === '0' || kv.lease === '' ? null : kv.lease,
  };
}

export async function credentialsOf(options: Etcd3Options): Promise<IOptions['credentials']> {
  if (options.cacert === undefined && options.protocol === 'http') return undefined;
  const read = async (path: string | undefined): Promise<Buffer | undefined> =>
    path === undefined ? undefined : readFile(path);
  const rootCertificate = (await read(options.cacert)) ?? Buffer.alloc(0);
  const privateKey = await read(options.key);
  const certChain = await read(options.cert);
  return {
    rootCertificate,
    ...(privateKey === undefined ? {} : { privateKey }),
    ...(certChain === undefined ? {} : { certChain }),
  };
}

/** etcd v3 over gRPC (the `etcd3` package): the only file that talks to the library's KV API. */
export class Etcd3Backend implements KvBackend {
  private readonly retrying: Retrying<Etcd3>;

  private constructor(
    private readonly clients: readonly Etcd3[],
    logger: Logger,
    retryTimeout: number,
    clock: Clock,
    private readonly serializable: boolean,
  ) {
    this.retrying = new Retrying(clients, clock, logger, retryTimeout);
  }

  /**
   * One library client per endpoint, so that `Retrying` decides where each attempt goes: the
   * library's own host choice is random per call, which can hit a dead endpoint many times in
   * a row.
   */
  static async connect(
    options: Etcd3Options,
    logger: Logger,
    clock: Clock = systemClock,
  ): Promise<Etcd3Backend> {
    const credentials = await credentialsOf(options);
    const authTimeoutMs = Math.max(1000, (options.retryTimeout * 1000) / 3);
    const clients = options.hosts.map(
      (host) =>
        new Etcd3({
          hosts: `${options.protocol}://${host}`,
          ...(credentials === undefined ? {} : { credentials }),
          ...(options.username !== undefined && options.password !== undefined
            ? {
                auth: {
                  username: options.username,
                  password: options.password,
                  // The token exchange has no deadline by default: a hung etcd would hang it.
                  callOptions: () => ({ deadline: new Date(Date.now() + authTimeoutMs) }),
                },
              }
            : {}),
          faultHandling: {
            host: () => passThrough,
            global: passThrough,
            watchBackoff: constantWatchBackoff,
          },
          // Reconnect quickly once etcd is back: the default backoff grows to two minutes.
          grpcOptions: {
            'grpc.initial_reconnect_backoff_ms': 100,
            'grpc.max_reconnect_backoff_ms': 1000,
            // HTTP/2 pings find a dead connection under an idle watch stream. Not more often
            // than every 10 s: etcd answers pings closer than 5 s apart with GOAWAY.
            'grpc.keepalive_time_ms': Math.max(10_000, options.loopWait * 1000),
            'grpc.keepalive_timeout_ms': Math.max(1000, options.retryTimeout * 500),
          },
        }),
    );
    return new Etcd3Backend(
      clients,
      logger,
      options.retryTimeout,
      clock,
      options.linearizableReads !== true,
    );
  }

  async range(prefix: string): Promise<{ revision: number; entries: readonly KvEntry[] }> {
    const resp = await this.retrying.run('range', (c, o) =>
      c.kv.range(
        { key: buf(prefix), range_end: prefixEnd(prefix), serializable: this.serializable },
        o,
      ),
    );
    const entries = resp.kvs.map((kv) => ({
      key: kv.key.toString('utf8'),
      value: kv.value.toString('utf8'),
      createRevision: Number(kv.create_revision),
      modRevision: Number(kv.mod_revision),
      lease: kv.lease === '0' || kv.lease === '' ? null : kv.lease,
    }));
    return { revision: Number(resp.header.revision), entries };
  }

  async put(key: string, value: string, options: PutOptions = {}): Promise<WriteOutcome> {
    const put: IRequestOp = {
      request_put: {
        key: buf(key),
        value: buf(value),
        ...(options.lease ? { lease: options.lease } : {}),
      },
    };
    return this.leaseAware(async () => {
      const guard = options.guard;
      if (guard === undefined) {
        const resp = await this.retrying.run('put', (c, o) => c.kv.put(put.request_put ?? {}, o));
        return { ok: true, revision: Number(resp.header.revision) };
      }
      // Re-create when absent: a nested txn, so that no one else's key is ever overwritten.
      // Otherwise read the key in the same txn: who is in the way (maybe an earlier attempt of
      // ours whose answer was lost).
      const failure: IRequestOp[] =
        guard.kind === 'valueOrAbsent'
          ? [{ request_txn: { compare: compareFor(key, { kind: 'absent' }), success: [put] } }]
          : [{ request_range: { key: buf(key) } }];
      const resp = await this.retrying.run('txn', (c, o) =>
        c.kv.txn({ compare: compareFor(key, guard), success: [put], failure }, o),
      );
      if (txnSucceeded(resp)) return { ok: true, revision: Number(resp.header.revision) };
      const current = holderOf(resp);
      return current === undefined
        ? { ok: false, reason: 'compare-failed' }
        : { ok: false, reason: 'compare-failed', current };
    });
  }

  async delete(key: string, guard?: Guard): Promise<WriteOutcome> {
    if (guard === undefined) {
      const resp = await this.retrying.run('delete', (c, o) =>
        c.kv.deleteRange({ key: buf(key) }, o),
      );
      return { ok: true, revision: Number(resp.header.revision) };
    }
    const resp = await this.retrying.run('txn', (c, o) =>
      c.kv.txn(
        { compare: compareFor(key, guard), success: [{ request_delete_range: { key: buf(key) } }] },
        o,
      ),
    );
    return resp.succeeded
      ? { ok: true, revision: Number(resp.header.revision) }
      : { ok: false, reason: 'compare-failed' };
  }

  async deletePrefix(prefix: string): Promise<void> {
    await this.retrying.run('delete', (c, o) =>
      c.kv.deleteRange({ key: buf(prefix), range_end: prefixEnd(prefix) }, o),
    );
  }

  async grantLease(ttlSeconds: number): Promise<string> {
    const resp = await this.retrying.run('lease grant', (c, o) =>
      c.leaseClient.leaseGrant({ TTL: ttlSeconds }, o),
    );
    return resp.ID;
  }

  async keepAlive(lease: string): Promise<boolean> {
    const ttl = await this.retrying.run('lease keepalive', (c, o) =>
      this.keepAliveOnce(c, lease, o),
    );
    return ttl > 0;
  }

  /** One keep-alive over the library's bidirectional stream (etcd has no unary keep-alive). */
  private async keepAliveOnce(client: Etcd3, lease: string, options: CallOptions): Promise<number> {
    const stream = await client.leaseClient.leaseKeepAlive(options);
    try {
      return await new Promise<number>((resolve, reject) => {
        stream.on('data', (res: { TTL?: string }) => {
          resolve(Number(res.TTL ?? 0));
        });
        stream.on('error', reject);
        stream.on('end', () => {
          reject(new Error('keep-alive stream ended'));
        });
        stream.write({ ID: lease });
      });
    } finally {
      stream.end();
    }
  }

  watchPrefix(
    prefix: string,
    fromRevision: number,
    onEvent: (e: KvEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    return watchPrefix(this.retrying.client, prefix, fromRevision, onEvent, signal);
  }

  setRetryTimeout(seconds: number): void {
    this.retrying.setRetryTimeout(seconds);
  }

  close(): Promise<void> {
    for (const c of this.clients) c.close();
    return Promise.resolve();
  }

  /** A put on a lease etcd no longer knows is a result (the caller grants a new lease). */
  private async leaseAware(call: () => Promise<WriteOutcome>): Promise<WriteOutcome> {
    try {
      return await call();
    } catch (error) {
      if (classify(error) === 'lease-not-found') return { ok: false, reason: 'lease-not-found' };
      throw error;
    }
  }
}
