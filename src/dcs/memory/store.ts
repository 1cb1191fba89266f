import type { Clock } from '../../shared/clock.js';
import type { Guard, KvEntry, KvEvent, WriteOutcome } from '../kv/backend.js';

interface StoredKey {
  value: string;
  createRevision: number;
  modRevision: number;
  lease: string | null;
}

interface StoredLease {
  readonly ttlMs: number;
  expiresAt: number;
  readonly keys: Set<string>;
  /** Cancels the clock sleep that will expire this lease. */
  timer: AbortController;
}

interface Watcher {
  readonly prefix: string;
  readonly client: string;
  readonly onEvent: (event: KvEvent) => void;
}

/** Events kept for watches that start in the past (etcd keeps them until compaction). */
const EVENT_LOG_LIMIT = 10_000;

/**
 * The shared state of an in-memory etcd: one revision counter, keys with create/mod revisions,
 * leases that expire on the given clock, an event log for watches. Several node clients share
 * one store; each may be cut off with `setReachable(name, false)`. With a `ManualClock`, leases
 * expire when the test advances time.
 */
export class KvStore {
  private revision = 1;
  private nextLease = 7_000_000;
  private readonly keys = new Map<string, StoredKey>();
  private readonly leases = new Map<string, StoredLease>();
  private readonly log: KvEvent[] = [];
  private readonly watchers = new Set<Watcher>();
  private readonly unreachable = new Set<string>();

  constructor(readonly clock: Clock) {}

  setReachable(client: string, reachable: boolean): void {
    if (reachable) this.unreachable.delete(client);
    else this.unreachable.add(client);
  }

  isReachable(client: string): boolean {
    return !this.unreachable.has(client);
  }

  get currentRevision(): number {
    return this.revision;
  }

  range(prefix: string): { revision: number; entries: KvEntry[] } {
    this.sweep();
    const entries: KvEntry[] = [];
    for (const [key, k] of [...this.keys].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (key.startsWith(prefix)) entries.push({ key, ...k });
    }
    return { revision: this.revision, entries };
  }

  get(key: string): KvEntry | null {
    this.sweep();
    const k = this.keys.get(key);
    return k === undefined ? null : { key, ...k };
  }

  put(key: string, value: string, lease: string | null, guard?: Guard): WriteOutcome {
    this.sweep();
    if (guard !== undefined && !this.holds(key, guard)) {
      const k = this.keys.get(key);
      const current = k === undefined ? null : { value: k.value, lease: k.lease };
      return { ok: false, reason: 'compare-failed', current };
    }
    if (lease !== null && !this.leases.has(lease)) return { ok: false, reason: 'lease-not-found' };
    const revision = ++this.revision;
    const old = this.keys.get(key);
    if (old?.lease != null) this.leases.get(old.lease)?.keys.delete(key);
    this.keys.set(key, {
      value,
      createRevision: old?.createRevision ?? revision,
      modRevision: revision,
      lease,
    });
    if (lease !== null) this.leases.get(lease)?.keys.add(key);
    this.emit({ type: 'put', key, value, revision });
    return { ok: true, revision };
  }

  delete(key: string, guard?: Guard): WriteOutcome {
    this.sweep();
    if (guard !== undefined && !this.holds(key, guard))
      return { ok: false, reason: 'compare-failed' };
    if (!this.keys.has(key)) return { ok: true, revision: this.revision };
    return { ok: true, revision: this.remove(key) };
  }

  deletePrefix(prefix: string): void {
    this.sweep();
    for (const key of [...this.keys.keys()]) if (key.startsWith(prefix)) this.remove(key);
  }

  grantLease(ttlSeconds: number): string {
    this.sweep();
    const id = String(++this.nextLease);
    const lease: StoredLease = {
      ttlMs: ttlSeconds * 1000,
      expiresAt: 0,
      keys: new Set(),
      timer: new AbortController(),
    };
    this.leases.set(id, lease);
    this.arm(id, lease);
    return id;
  }

  keepAlive(id: string): boolean {
    this.sweep();
    const lease = this.leases.get(id);
    if (lease === undefined) return false;
    this.arm(id, lease);
    return true;
  }

  revokeLease(id: string): void {
    const lease = this.leases.get(id);
    if (lease === undefined) return;
    lease.timer.abort();
    this.leases.delete(id);
    for (const key of [...lease.keys]) this.remove(key);
  }

  /** Replays logged events from `fromRevision`, then delivers live ones until unsubscribed. */
  watch(
    client: string,
    prefix: string,
    fromRevision: number,
    onEvent: (e: KvEvent) => void,
  ): () => void {
    this.sweep();
    const watcher: Watcher = { prefix, client, onEvent };
    this.watchers.add(watcher);
    for (const event of this.log) {
      if (event.key.startsWith(prefix) && event.revision >= fromRevision) onEvent(event);
    }
    return () => this.watchers.delete(watcher);
  }

  /** Expires every lease whose time has come (called before each operation, and by timers). */
  sweep(): void {
    const now = this.clock.now();
    for (const [id, lease] of [...this.leases]) if (lease.expiresAt <= now) this.revokeLease(id);
  }

  /** Stops the expiry timers (leases then expire only on the next operation). */
  close(): void {
    for (const lease of this.leases.values()) lease.timer.abort();
  }

  private arm(id: string, lease: StoredLease): void {
    lease.timer.abort();
    lease.timer = new AbortController();
    lease.expiresAt = this.clock.now() + lease.ttlMs;
    const signal = lease.timer.signal;
    void this.clock.sleep(lease.ttlMs, signal).then(() => {
      if (!signal.aborted && this.leases.get(id) === lease) this.sweep();
    });
  }

  private holds(key: string, guard: Guard): boolean {
    const k = this.keys.get(key);
    switch (guard.kind) {
      case 'absent':
        return k === undefined;
      case 'revision':
        return (k?.modRevision ?? 0) === guard.revision;
      case 'value':
        return k !== undefined && k.value === guard.value;
      case 'valueOrAbsent':
        return k === undefined || k.value === guard.value;
    }
  }

  private remove(key: string): number {
    const old = this.keys.get(key);
    if (old?.lease != null) this.leases.get(old.lease)?.keys.delete(key);
    this.keys.delete(key);
    const revision = ++this.revision;
    this.emit({ type: 'delete', key, value: null, revision });
    return revision;
  }

  private emit(event: KvEvent): void {
    this.log.push(event);
    if (this.log.length > EVENT_LOG_LIMIT) this.log.shift();
    for (const w of [...this.watchers]) {
      if (event.key.startsWith(w.prefix) && this.isReachable(w.client)) w.onEvent(event);
    }
  }
}
