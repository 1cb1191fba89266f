import type { Clock } from '../../shared/clock.js';
import { errorMessage } from '../../shared/errors.js';
import type { Logger } from '../../shared/log/logger.js';
import { KEYS } from '../codec/paths.js';
import type { ClusterWatch } from '../kv/cluster-watch.js';
import { wakes } from '../kv/wake-rule.js';
import type { KnownKeys } from './known-keys.js';
import type { Etcd2Store } from './store.js';

/** A watch that failed (etcd down, connection reset) is tried again after this long. */
const RETRY_PAUSE_MS = 1000;

export interface FollowOptions {
  readonly store: Etcd2Store;
  /** The scope directory (absolute, no trailing slash). */
  readonly dir: string;
  readonly known: KnownKeys;
  readonly me: string;
  readonly waker: ClusterWatch;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Aborted when the wait ends. */
  readonly signal: AbortSignal;
}

/**
 * The wait's long poll (`wait=true&recursive=true&waitIndex=N`) on the scope directory, one
 * change per answer, from the first change the last read did not include: a change made
 * between the read and the wait is still seen (etcd keeps the last 1000). Each change goes
 * through the wake rule; when etcd no longer has the start index, the loop is woken to read
 * again (as Patroni does). Never throws: a watch that fails is tried again after a pause.
 */
export async function follow(o: FollowOptions): Promise<void> {
  const prefix = `${o.dir}/`;
  // A function, not the property: the signal aborts while a poll is awaited.
  const stopped = (): boolean => o.signal.aborted;
  while (!stopped()) {
    const from = o.known.nextIndex;
    if (from === null) return;
    try {
      const event = await o.store.watchOnce(o.dir, from, o.signal);
      if (event === 'cleared') {
        o.waker.watchLost();
        return;
      }
      for (const change of o.known.apply(event, prefix)) {
        const leader = o.known.value(KEYS.leader) ?? null;
        if (wakes(change, leader, o.me)) o.waker.changed(event.node.modifiedIndex);
      }
    } catch (error) {
      if (stopped()) return;
      o.logger.debug(`DCS watch failed: ${errorMessage(error)}`);
      await o.clock.sleep(RETRY_PAUSE_MS, o.signal).catch(() => undefined);
    }
  }
}
