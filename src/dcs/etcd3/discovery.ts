import { resolveSrv } from 'node:dns/promises';
import type { Clock } from '../../shared/clock.js';
import { errorMessage } from '../../shared/errors.js';
import type { Logger } from '../../shared/log/logger.js';
import type { Retrying } from './retrying.js';

/** An endpoint client the discovery can build, list and close. */
export interface Endpoint {
  readonly origin: string;
  close(): void;
}

export interface DiscoveryOptions<C extends Endpoint> {
  /** Origins from patroni.yml (`http://host:port`), the start and the fallback. */
  readonly configured: readonly string[];
  readonly make: (origin: string) => C;
  /** Asks one endpoint for the client URLs of the cluster's members. */
  readonly list: (client: C, signal: AbortSignal) => Promise<readonly string[]>;
  readonly retrying: Retrying<C>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** `use_proxies`: the configured hosts are all there is. */
  readonly useProxies: boolean;
  /** How long a member list is used before it is read again (Patroni: 10 * ttl). */
  readonly cacheTtlMs: number;
}

/**
 * The etcd endpoints to talk to, as Patroni's client keeps its `machines_cache`: the configured
 * hosts at first, then the member list the cluster itself gives (so that a node given one etcd
 * address finds the others), read again every `cacheTtlMs`. `Retrying` keeps using the endpoint
 * that answered last, so a dead member costs one failed request when it is tried, not one per
 * call. When every endpoint failed, the configured hosts come back into the list and the
 * member list is read again at the next call.
 */
export class MemberDiscovery<C extends Endpoint> {
  private readonly byOrigin = new Map<string, C>();
  private listedAt = -Infinity;
  private refreshing: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly o: DiscoveryOptions<C>) {
    o.retrying.setClients(o.configured.map((origin) => this.client(origin)));
    // After an answer, not before a call: a store that is down must cost one retry budget
    // per call, not two.
    o.retrying.hooks = {
      answered: () => {
        this.refreshSoon();
      },
      exhausted: () => {
        this.reset();
      },
    };
  }

  /**
   * Reads the member list in the background when the last one is older than the cache TTL (one
   * read at a time). Called after a call was answered, so the store is likely up: a store that
   * is down costs the caller nothing more.
   */
  refreshSoon(): void {
    if (this.o.useProxies || this.closed) return;
    if (this.o.clock.now() - this.listedAt < this.o.cacheTtlMs) return;
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = null;
    });
  }

  /** The member list read in progress, if any (tests wait for it). */
  get pending(): Promise<void> | null {
    return this.refreshing;
  }

  /** Every endpoint failed: back to the configured hosts (plus the known ones), list again. */
  reset(): void {
    const known = this.o.retrying.endpoints.map((c) => c.origin);
    const origins = [...new Set([...this.o.configured, ...known])];
    this.o.retrying.setClients(origins.map((origin) => this.client(origin)));
    this.listedAt = -Infinity;
  }

  close(): void {
    this.closed = true;
    for (const c of this.byOrigin.values()) c.close();
    this.byOrigin.clear();
  }

  private client(origin: string): C {
    const key = origin.replace(/\/+$/, '');
    let c = this.byOrigin.get(key);
    if (c === undefined) {
      c = this.o.make(key);
      this.byOrigin.set(key, c);
    }
    return c;
  }

  private async refresh(): Promise<void> {
    // Counted from the attempt, so that a cluster that cannot list costs one try per period.
    this.listedAt = this.o.clock.now();
    try {
      const urls = await this.o.retrying.run('member list', (c, signal) => this.o.list(c, signal));
      const origins = [...new Set(urls.map((u) => u.replace(/\/+$/, '')))].filter((u) => u !== '');
      if (origins.length === 0 || this.closed) return;
      this.o.retrying.setClients(origins.map((origin) => this.client(origin)));
      this.o.logger.debug(`etcd: cluster members ${origins.join(', ')}`);
    } catch (error) {
      this.o.logger.debug(`etcd: could not read the member list: ${errorMessage(error)}`);
    }
  }
}

/**
 * The client endpoints of an `srv:` domain, as Patroni looks them up: the first of
 * `_etcd-client-ssl`, `_etcd-client`, `_etcd-ssl`, `_etcd` (each with `-<srv_suffix>`) that
 * has records. Empty when none resolves.
 */
export async function srvOrigins(domain: string, suffix?: string): Promise<string[]> {
  for (const kind of ['-client-ssl', '-client', '-ssl', '']) {
    const name = `_etcd${suffix === undefined ? kind : `${kind}-${suffix}`}._tcp.${domain}`;
    const protocol = kind.includes('-ssl') ? 'https' : 'http';
    try {
      const records = await resolveSrv(name);
      if (records.length > 0) {
        return records.map((r) => `${protocol}://${r.name.replace(/\.$/, '')}:${r.port}`);
      }
    } catch {
      // no such record: try the next kind
    }
  }
  return [];
}
