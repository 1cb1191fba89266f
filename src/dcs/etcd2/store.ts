import { systemClock, type Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/log/logger.js';
import { tlsFilesOf } from '../etcd3/backend.js';
import { MemberDiscovery, srvOrigins } from '../etcd3/discovery.js';
import type { Etcd3Options } from '../etcd3/options.js';
import { Retrying } from '../etcd3/retrying.js';
import { isV2Error, V2Client, type V2Answer, type V2Params } from './client.js';

/** A node of the v2 key tree as etcd writes it in its answers. */
export interface V2Node {
  readonly key: string;
  readonly value?: string;
  readonly dir?: boolean;
  readonly nodes?: readonly V2Node[];
  /** Seconds left before the key expires (rounded up), for keys set with a TTL. */
  readonly ttl?: number;
  readonly modifiedIndex: number;
  readonly createdIndex?: number;
}

/** One change a watch reports: `set`, `create`, `compareAndSwap`, `delete`, `expire`, ... */
export interface V2Event {
  readonly action: string;
  readonly node: V2Node;
}

/** A write's result: its index, or the v2 error code that refused it (100, 101, 105, ...). */
export type V2Write =
  | { readonly ok: true; readonly index: number; readonly retried: boolean }
  | { readonly ok: false; readonly code: number; readonly retried: boolean };

export interface WriteParams {
  readonly ttl?: number;
  readonly prevExist?: boolean;
  readonly prevValue?: string;
  readonly prevIndex?: number;
  /** Renew the TTL without a new value (etcd 2.3+); watchers are not told. */
  readonly refresh?: boolean;
  readonly recursive?: boolean;
}

function paramsOf(p: WriteParams, value: string | null): V2Params {
  const out: Record<string, string | number | boolean> = {};
  if (value !== null) out['value'] = value;
  if (p.ttl !== undefined) out['ttl'] = p.ttl;
  if (p.prevExist !== undefined) out['prevExist'] = p.prevExist;
  if (p.prevValue !== undefined) out['prevValue'] = p.prevValue;
  if (p.prevIndex !== undefined) out['prevIndex'] = p.prevIndex;
  if (p.refresh === true) out['refresh'] = true;
  if (p.recursive === true) out['recursive'] = true;
  return out;
}

/** Every leaf (non-directory key) under a node, depth first. */
export function leavesOf(node: V2Node | undefined): V2Node[] {
  if (node === undefined) return [];
  if (node.dir !== true) return [node];
  return (node.nodes ?? []).flatMap((n) => leavesOf(n));
}

/**
 * etcd's v2 key API over one or more endpoints: every call within the retry budget (the
 * endpoint that answered last first, as `Retrying` does for v3), the endpoint list kept from the
 * cluster's member list (`/v2/machines`, unless `use_proxies`).
 */
export class Etcd2Store {
  private constructor(
    private readonly retrying: Retrying<V2Client>,
    private readonly discovery: MemberDiscovery<V2Client>,
    private readonly quorum: boolean,
  ) {}

  static async connect(
    options: Etcd3Options,
    logger: Logger,
    clock: Clock = systemClock,
  ): Promise<Etcd2Store> {
    const tls = await tlsFilesOf(options);
    const credentials =
      options.username !== undefined && options.password !== undefined
        ? { username: options.username, password: options.password }
        : undefined;
    const fromSrv =
      options.srv === undefined ? [] : await srvOrigins(options.srv, options.srvSuffix);
    const configured =
      fromSrv.length > 0 ? fromSrv : options.hosts.map((h) => `${options.protocol}://${h}`);
    const retrying = new Retrying<V2Client>([], clock, logger, options.retryTimeout);
    const discovery = new MemberDiscovery<V2Client>({
      configured,
      make: (origin) =>
        new V2Client({
          origin,
          ...(tls === undefined || origin.startsWith('http:') ? {} : { tls }),
          ...(credentials === undefined ? {} : { credentials }),
        }),
      list: (client, signal) => client.machines(signal),
      retrying,
      clock,
      logger,
      useProxies: options.useProxies === true,
      cacheTtlMs: options.ttl * 10_000,
    });
    return new Etcd2Store(retrying, discovery, options.linearizableReads === true);
  }

  /** The leaves under `dir` (none when it does not exist) and the store index of the read. */
  async read(dir: string): Promise<{ index: number; leaves: V2Node[] }> {
    const params: V2Params = this.quorum ? { recursive: true, quorum: true } : { recursive: true };
    const { answer } = await this.run('read', (c, s) => c.keys('GET', dir, params, s));
    if (isV2Error(answer.body)) {
      if (answer.body.errorCode === 100) {
        const index = (answer.body as { index?: unknown }).index;
        return { index: answer.etcdIndex ?? (typeof index === 'number' ? index : 0), leaves: [] };
      }
      throw new Error(`etcd: read ${dir}: ${answer.body.message ?? answer.body.errorCode}`);
    }
    const node = (answer.body as { node?: V2Node }).node;
    const index = answer.etcdIndex ?? node?.modifiedIndex ?? 0;
    return { index, leaves: leavesOf(node) };
  }

  /** One key, or null when absent. */
  async get(key: string): Promise<V2Node | null> {
    const { answer } = await this.run('get', (c, s) => c.keys('GET', key, {}, s));
    if (isV2Error(answer.body)) return null;
    return (answer.body as { node?: V2Node }).node ?? null;
  }

  /** A PUT; `value` null only with `refresh`. */
  async set(key: string, value: string | null, params: WriteParams = {}): Promise<V2Write> {
    const p = paramsOf(params, value);
    return this.write(await this.run('write', (c, s) => c.keys('PUT', key, p, s)));
  }

  async delete(key: string, params: WriteParams = {}): Promise<V2Write> {
    const p = paramsOf(params, null);
    return this.write(await this.run('delete', (c, s) => c.keys('DELETE', key, p, s)));
  }

  /**
   * One long poll for the next change under `key` (recursive) at or after `waitIndex`, on the
   * endpoint in use; no retries (the caller waits out its time). `cleared`: the index is older
   * than the history etcd keeps.
   */
  async watchOnce(
    key: string,
    waitIndex: number,
    signal: AbortSignal,
  ): Promise<V2Event | 'cleared'> {
    const params = { wait: true, recursive: true, waitIndex };
    const answer = await this.retrying.client.keys('GET', key, params, signal);
    if (isV2Error(answer.body)) {
      if (answer.body.errorCode === 401) return 'cleared';
      throw new Error(`etcd: watch ${key}: ${answer.body.message ?? answer.body.errorCode}`);
    }
    return answer.body as V2Event;
  }

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

  setRetryTimeout(seconds: number): void {
    this.retrying.setRetryTimeout(seconds);
  }

  close(): void {
    this.discovery.close();
  }

  private write(r: { answer: V2Answer; retried: boolean }): V2Write {
    const body = r.answer.body;
    if (isV2Error(body)) return { ok: false, code: body.errorCode, retried: r.retried };
    const node = (body as { node?: V2Node }).node;
    return { ok: true, index: node?.modifiedIndex ?? r.answer.etcdIndex ?? 0, retried: r.retried };
  }

  private async run(
    what: string,
    call: (client: V2Client, signal: AbortSignal) => Promise<V2Answer>,
  ): Promise<{ answer: V2Answer; retried: boolean }> {
    let attempts = 0;
    const answer = await this.retrying.run(what, (c, s) => {
      attempts += 1;
      return call(c, s);
    });
    return { answer, retried: attempts > 1 };
  }
}
