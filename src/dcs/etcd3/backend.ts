import { readFile } from 'node:fs/promises';
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
import { MemberDiscovery, srvOrigins } from './discovery.js';
import { classify } from './errors.js';
import { StoreAnswers } from './stream-liveness.js';
import { GatewayClient, type TlsFiles } from './gateway-client.js';
import type { Etcd3Options } from './options.js';
import { Retrying } from './retrying.js';
import { watchPrefix } from './watch.js';
import {
  b64,
  leaseOf,
  prefixEnd,
  revisionOf,
  unb64,
  type LeaseGrantResponse,
  type RangeResponse,
  type StreamMessage,
  type TxnResponse,
  type WriteResponse,
} from './wire.js';

/** A txn compare as the gateway takes it (enum names, int64 as strings). */
function compareFor(key: string, guard: Guard): object[] {
  const k = b64(key);
  switch (guard.kind) {
    case 'absent':
      return [{ key: k, target: 'CREATE', result: 'EQUAL', create_revision: '0' }];
    case 'revision':
      return [{ key: k, target: 'MOD', result: 'EQUAL', mod_revision: String(guard.revision) }];
    case 'value':
    case 'valueOrAbsent':
      return [{ key: k, target: 'VALUE', result: 'EQUAL', value: b64(guard.value) }];
  }
}

/** A txn that either succeeded or, for valueOrAbsent, whose nested create-txn succeeded. */
function txnSucceeded(resp: TxnResponse): boolean {
  return resp.succeeded === true || resp.responses?.[0]?.response_txn?.succeeded === true;
}

/** The key read by a failed txn's request_range, or undefined when it did not read one. */
function holderOf(resp: TxnResponse): KeyHolder | null | undefined {
  const range = resp.responses?.[0]?.response_range;
  if (range === undefined) return undefined;
  const kv = range.kvs?.[0];
  if (kv === undefined) return null;
  return { value: unb64(kv.value), lease: leaseOf(kv) };
}

export async function tlsFilesOf(options: Etcd3Options): Promise<TlsFiles | undefined> {
  if (options.protocol === 'http') return undefined;
  const read = async (path: string | undefined): Promise<Buffer | undefined> =>
    path === undefined ? undefined : readFile(path);
  const [ca, cert, key] = await Promise.all([
    read(options.cacert),
    read(options.cert),
    read(options.key),
  ]);
  return {
    ...(ca === undefined ? {} : { ca }),
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key }),
  };
}

/** etcd v3 over its HTTP/JSON gateway, the way Patroni's etcd3 client talks to it. */
export class Etcd3Backend implements KvBackend {
  private readonly retrying: Retrying<GatewayClient>;
  /** Open watches, ended by close() so that none keeps the process alive. */
  private readonly watches = new Set<AbortController>();

  private readonly discovery: MemberDiscovery<GatewayClient>;

  private constructor(
    configured: readonly string[],
    make: (origin: string) => GatewayClient,
    private readonly logger: Logger,
    options: Etcd3Options,
    clock: Clock,
    private readonly answers: StoreAnswers,
  ) {
    this.retrying = new Retrying<GatewayClient>([], clock, logger, options.retryTimeout);
    this.serializable = options.linearizableReads !== true;
    this.discovery = new MemberDiscovery({
      configured,
      make,
      list: async (client, signal) => {
        const resp = (await client.call('/cluster/member/list', {}, signal)) as {
          members?: readonly { clientURLs?: readonly string[] }[];
        };
        return (resp.members ?? []).flatMap((m) => m.clientURLs ?? []);
      },
      retrying: this.retrying,
      clock,
      logger,
      useProxies: options.useProxies === true,
      cacheTtlMs: options.ttl * 10_000,
    });
  }

  private readonly serializable: boolean;

  /** The endpoints in use, the one that answered last first (for tests and logs). */
  get endpoints(): string[] {
    const all = this.retrying.endpoints.map((c) => c.origin);
    const current = this.retrying.client.origin;
    return [current, ...all.filter((o) => o !== current)];
  }

  /** The member list read in progress, if any. */
  get discovering(): Promise<void> | null {
    return this.discovery.pending;
  }

  /**
   * One client per endpoint, so that `Retrying` decides where each attempt goes. Nothing is
   * dialled here: the first call asks each endpoint its version.
   */
  static async connect(
    options: Etcd3Options,
    logger: Logger,
    clock: Clock = systemClock,
  ): Promise<Etcd3Backend> {
    const tls = await tlsFilesOf(options);
    const credentials =
      options.username !== undefined && options.password !== undefined
        ? { username: options.username, password: options.password }
        : undefined;
    const answers = new StoreAnswers();
    const fromSrv =
      options.srv === undefined ? [] : await srvOrigins(options.srv, options.srvSuffix);
    const configured =
      fromSrv.length > 0 ? fromSrv : options.hosts.map((h) => `${options.protocol}://${h}`);
    const make = (origin: string): GatewayClient =>
      new GatewayClient({
        origin,
        ...(tls === undefined || origin.startsWith('http:') ? {} : { tls }),
        ...(credentials === undefined ? {} : { credentials }),
        // A watch silent this long is checked (stream-liveness.ts): half of ttl keeps a
        // half-open stream (a NAT or firewall that forgot it) from feeding the cluster cache
        // stale data for long; an idle cluster, whose calls show the store at the revision
        // its watches delivered, sends no probe. Not more often than every 10 s, as gRPC's
        // keep-alive.
        streamIdleMs: Math.max(10_000, (options.ttl * 1000) / 2),
        answers,
      });
    return new Etcd3Backend(configured, make, logger, options, clock, answers);
  }

  async range(prefix: string): Promise<{ revision: number; entries: readonly KvEntry[] }> {
    const body = {
      key: b64(prefix),
      range_end: prefixEnd(prefix),
      serializable: this.serializable,
    };
    const resp = (await this.retrying.run('range', (c, signal) =>
      c.call('/kv/range', body, signal),
    )) as RangeResponse;
    const entries = (resp.kvs ?? []).map((kv) => ({
      key: unb64(kv.key),
      value: unb64(kv.value),
      createRevision: Number(kv.create_revision ?? 0),
      modRevision: Number(kv.mod_revision ?? 0),
      lease: leaseOf(kv),
    }));
    return { revision: revisionOf(resp.header), entries };
  }

  async put(key: string, value: string, options: PutOptions = {}): Promise<WriteOutcome> {
    const put = {
      key: b64(key),
      value: b64(value),
      ...(options.lease ? { lease: options.lease } : {}),
    };
    return this.leaseAware(async () => {
      const guard = options.guard;
      if (guard === undefined) {
        const resp = (await this.retrying.run('put', (c, signal) =>
          c.call('/kv/put', put, signal),
        )) as WriteResponse;
        return { ok: true, revision: revisionOf(resp.header) };
      }
      // Re-create when absent: a nested txn, so that no one else's key is ever overwritten.
      // Otherwise read the key in the same txn: who is in the way (maybe an earlier attempt of
      // ours whose answer was lost).
      const failure =
        guard.kind === 'valueOrAbsent'
          ? [
              {
                request_txn: {
                  compare: compareFor(key, { kind: 'absent' }),
                  success: [{ request_put: put }],
                },
              },
            ]
          : [{ request_range: { key: b64(key) } }];
      const txn = { compare: compareFor(key, guard), success: [{ request_put: put }], failure };
      const resp = (await this.retrying.run('txn', (c, signal) =>
        c.call('/kv/txn', txn, signal),
      )) as TxnResponse;
      if (txnSucceeded(resp)) return { ok: true, revision: revisionOf(resp.header) };
      const current = holderOf(resp);
      return current === undefined
        ? { ok: false, reason: 'compare-failed' }
        : { ok: false, reason: 'compare-failed', current };
    });
  }

  async delete(key: string, guard?: Guard): Promise<WriteOutcome> {
    if (guard === undefined) {
      const resp = (await this.retrying.run('delete', (c, signal) =>
        c.call('/kv/deleterange', { key: b64(key) }, signal),
      )) as WriteResponse;
      return { ok: true, revision: revisionOf(resp.header) };
    }
    const txn = {
      compare: compareFor(key, guard),
      success: [{ request_delete_range: { key: b64(key) } }],
    };
    const resp = (await this.retrying.run('txn', (c, signal) =>
      c.call('/kv/txn', txn, signal),
    )) as TxnResponse;
    return resp.succeeded === true
      ? { ok: true, revision: revisionOf(resp.header) }
      : { ok: false, reason: 'compare-failed' };
  }

  async deletePrefix(prefix: string): Promise<void> {
    const body = { key: b64(prefix), range_end: prefixEnd(prefix) };
    await this.retrying.run('delete', (c, signal) => c.call('/kv/deleterange', body, signal));
  }

  async grantLease(ttlSeconds: number): Promise<string> {
    const resp = (await this.retrying.run('lease grant', (c, signal) =>
      c.call('/lease/grant', { TTL: String(ttlSeconds) }, signal),
    )) as LeaseGrantResponse;
    if (resp.ID === undefined) throw new Error('etcd: lease grant answered without an ID');
    return resp.ID;
  }

  /** One keep-alive: a POST on the gateway's streaming endpoint, answered by one message. */
  async keepAlive(lease: string): Promise<boolean> {
    const resp = (await this.retrying.run('lease keepalive', (c, signal) =>
      c.call('/lease/keepalive', { ID: lease }, signal),
    )) as StreamMessage<LeaseGrantResponse>;
    // etcd answers a lease it does not know with TTL 0, which the gateway leaves out.
    return Number(resp.result?.TTL ?? 0) > 0;
  }

  watchPrefix(
    prefix: string,
    fromRevision: number,
    onEvent: (e: KvEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const controller = new AbortController();
    const stop = (): void => {
      controller.abort();
      this.watches.delete(controller);
    };
    if (signal.aborted) return Promise.resolve();
    signal.addEventListener('abort', stop, { once: true });
    this.watches.add(controller);
    return watchPrefix({
      endpoint: () => this.retrying.client,
      answers: this.answers,
      prefix,
      fromRevision,
      onEvent,
      signal: controller.signal,
      logger: this.logger,
    });
  }

  setRetryTimeout(seconds: number): void {
    this.retrying.setRetryTimeout(seconds);
  }

  close(): Promise<void> {
    for (const w of this.watches) w.abort();
    this.watches.clear();
    this.discovery.close();
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
