import type { KeyChange } from '../kv/wake-rule.js';
import type { V2Event } from './store.js';

/** v2 actions after which the key is gone. */
const REMOVALS = new Set(['delete', 'expire', 'compareAndDelete']);

/**
 * What this client knows of the scope directory's values: the last recursive read, then its
 * own writes and the changes its watch reported. The watch compares each change with it (a
 * rewrite of the same value wakes nobody), and it tells the watch which indexes this client
 * wrote itself (they never wake it).
 */
export class KnownKeys {
  private values = new Map<string, string>();
  private readonly mine = new Set<number>();
  private next: number | null = null;

  /** The index the watch continues from (every change before it is known); null: unknown. */
  get nextIndex(): number | null {
    return this.next;
  }

  /** A read at store index `index` gave these keys (relative). */
  seed(index: number, entries: readonly { key: string; value: string }[]): void {
    this.values = new Map(entries.map((e) => [e.key, e.value]));
    this.next = index + 1;
    for (const r of this.mine) if (r <= index) this.mine.delete(r);
  }

  /** Without a read: watch from just after this index, knowing nothing. */
  startAfter(index: number): void {
    this.next = index + 1;
  }

  value(relative: string): string | undefined {
    return this.values.get(relative);
  }

  /** Was this index written by this client? */
  has(index: number): boolean {
    return this.mine.has(index);
  }

  /** My write landed at `index`: `value` null keeps the value (a TTL refresh) unless `removed`. */
  own(index: number, relative: string, value: string | null, removed = false): void {
    this.mine.add(index);
    if (removed) this.values.delete(relative);
    else if (value !== null) this.values.set(relative, value);
  }

  /**
   * Applies a watched change under `prefix` (with trailing slash); returns each key's change. A
   * directory's removal (the whole scope deleted) removes every key under it.
   */
  apply(event: V2Event, prefix: string): KeyChange[] {
    const node = event.node;
    this.next = Math.max(this.next ?? 0, node.modifiedIndex + 1);
    const base = prefix.slice(0, -1);
    if (node.key !== base && !node.key.startsWith(prefix)) return [];
    const relative = node.key === base ? '' : node.key.slice(prefix.length);
    const removed = REMOVALS.has(event.action);
    if (node.dir === true) {
      if (!removed) return [];
      const keys = [...this.values.keys()].filter(
        (k) => relative === '' || k.startsWith(`${relative}/`),
      );
      return keys.map((k) => this.change(k, null));
    }
    return [this.change(relative, removed ? null : (node.value ?? ''))];
  }

  private change(key: string, after: string | null): KeyChange {
    const before = this.values.get(key) ?? null;
    if (after === null) this.values.delete(key);
    else this.values.set(key, after);
    return { key, before, after };
  }
}
