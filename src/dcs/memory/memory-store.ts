import type { Clock } from '../../shared/clock.js';
import { silentLogger, type Logger } from '../../shared/log/logger.js';
import { basePath } from '../codec/paths.js';
import type { PrimaryRoleName } from '../codec/roles.js';
import { KvDcs } from '../kv/kv-dcs.js';
import type { KvEntry } from '../kv/backend.js';
import { MemoryBackend } from './backend.js';
import { KvStore } from './store.js';

export interface MemoryClientOptions {
  readonly scope: string;
  /** This node's member name; also the name `setReachable` takes. */
  readonly name: string;
  readonly namespace?: string;
  /** Seconds; defaults 30 / 10 / 10 as in Patroni. */
  readonly ttl?: number;
  readonly loopWait?: number;
  readonly retryTimeout?: number;
  readonly primaryRoleName?: PrimaryRoleName;
  readonly logger?: Logger;
}

/**
 * An in-memory DCS for simulations and tests: `new MemoryStore(clock)`, then one
 * `store.client({ scope, name })` per simulated node. Leases expire on `clock` (advance a
 * `ManualClock` to expire them); `setReachable(name, false)` cuts one node off.
 */
export class MemoryStore {
  private readonly kv: KvStore;
  private readonly clients: KvDcs[] = [];

  constructor(readonly clock: Clock) {
    this.kv = new KvStore(clock);
  }

  client(options: MemoryClientOptions): KvDcs {
    const dcs = new KvDcs(new MemoryBackend(this.kv, options.name), {
      name: options.name,
      basePath: basePath(options.scope, options.namespace),
      timing: {
        ttl: options.ttl ?? 30,
        loopWait: options.loopWait ?? 10,
        retryTimeout: options.retryTimeout ?? 10,
      },
      clock: this.clock,
      logger: options.logger ?? silentLogger,
      ...(options.primaryRoleName === undefined
        ? {}
        : { primaryRoleName: options.primaryRoleName }),
    });
    this.clients.push(dcs);
    return dcs;
  }

  /** Cuts one node (by member name) off the store, or lets it back in. */
  setReachable(name: string, reachable: boolean): void {
    this.kv.setReachable(name, reachable);
  }

  /** Raw view of a key, for assertions: value, revisions, lease. */
  get(key: string): KvEntry | null {
    return this.kv.get(key);
  }

  /** Raw view of every key under a prefix. */
  dump(prefix = '/'): readonly KvEntry[] {
    return this.kv.range(prefix).entries;
  }

  /** Writes a raw value as an operator (or another Patroni) would, bypassing any client. */
  putRaw(key: string, value: string): void {
    this.kv.put(key, value, null);
  }

  deleteRaw(key: string): void {
    this.kv.delete(key);
  }

  /** Expires leases now if their time has come (happens anyway before every operation). */
  expireLeases(): void {
    this.kv.sweep();
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.close()));
    this.kv.close();
  }
}
