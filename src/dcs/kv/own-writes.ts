import type { Guard, KvBackend, KvEntry, KvEvent, PutOptions, WriteOutcome } from './backend.js';

/**
 * A backend decorator that remembers the revisions of this client's own successful writes, so
 * that the watch can tell them from other nodes' changes: like Patroni's KV cache, a node is not
 * woken by what it wrote itself.
 */
export class OwnWrites implements KvBackend {
  private readonly revisions = new Set<number>();

  constructor(private readonly inner: KvBackend) {}

  /** Was this revision written by this client? */
  has(revision: number): boolean {
    return this.revisions.has(revision);
  }

  /** Forgets revisions at or below one already read (the watch starts after it). */
  forgetUpTo(revision: number): void {
    for (const r of this.revisions) if (r <= revision) this.revisions.delete(r);
  }

  private note(outcome: WriteOutcome): WriteOutcome {
    if (outcome.ok) this.revisions.add(outcome.revision);
    return outcome;
  }

  range(
    prefix: string,
  ): Promise<{ readonly revision: number; readonly entries: readonly KvEntry[] }> {
    return this.inner.range(prefix);
  }

  async put(key: string, value: string, options?: PutOptions): Promise<WriteOutcome> {
    return this.note(await this.inner.put(key, value, options));
  }

  async delete(key: string, guard?: Guard): Promise<WriteOutcome> {
    return this.note(await this.inner.delete(key, guard));
  }

  deletePrefix(prefix: string): Promise<void> {
    return this.inner.deletePrefix(prefix);
  }

  grantLease(ttlSeconds: number): Promise<string> {
    return this.inner.grantLease(ttlSeconds);
  }

  keepAlive(lease: string): Promise<boolean> {
    return this.inner.keepAlive(lease);
  }

  watchPrefix(
    prefix: string,
    fromRevision: number,
    onEvent: (event: KvEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    return this.inner.watchPrefix(prefix, fromRevision, onEvent, signal);
  }

  setRetryTimeout(seconds: number): void {
    this.inner.setRetryTimeout(seconds);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
