import { PatroniError } from '../../shared/errors.js';
import type {
  Guard,
  KvBackend,
  KvEntry,
  KvEvent,
  PutOptions,
  WriteOutcome,
} from '../kv/backend.js';
import type { KvStore } from './store.js';

/**
 * One node's connection to the shared in-memory store. While the store marks this node
 * unreachable, every call throws DCS_UNREACHABLE at once (no retry time is spent: the
 * simulation advances its clock itself) and its watches receive nothing.
 */
export class MemoryBackend implements KvBackend {
  private closed = false;

  constructor(
    private readonly store: KvStore,
    private readonly client: string,
  ) {}

  private check(): void {
    if (this.closed) throw new PatroniError('INTERNAL', 'the DCS client is closed');
    if (!this.store.isReachable(this.client)) {
      throw new PatroniError('DCS_UNREACHABLE', `DCS is not reachable from ${this.client}`, {
        recoverable: true,
      });
    }
  }

  range(prefix: string): Promise<{ revision: number; entries: readonly KvEntry[] }> {
    return this.run(() => this.store.range(prefix));
  }

  put(key: string, value: string, options: PutOptions = {}): Promise<WriteOutcome> {
    return this.run(() => this.store.put(key, value, options.lease ?? null, options.guard));
  }

  delete(key: string, guard?: Guard): Promise<WriteOutcome> {
    return this.run(() => this.store.delete(key, guard));
  }

  deletePrefix(prefix: string): Promise<void> {
    return this.run(() => {
      this.store.deletePrefix(prefix);
    });
  }

  grantLease(ttlSeconds: number): Promise<string> {
    return this.run(() => this.store.grantLease(ttlSeconds));
  }

  keepAlive(lease: string): Promise<boolean> {
    return this.run(() => this.store.keepAlive(lease));
  }

  watchPrefix(
    prefix: string,
    fromRevision: number,
    onEvent: (event: KvEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    return this.run(() => {
      if (signal.aborted) return;
      const stop = this.store.watch(this.client, prefix, fromRevision, onEvent);
      signal.addEventListener('abort', stop, { once: true });
    });
  }

  setRetryTimeout(): void {
    // Calls of the memory store never wait, so there is no budget to follow.
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  private run<T>(call: () => T): Promise<T> {
    try {
      this.check();
      return Promise.resolve(call());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
