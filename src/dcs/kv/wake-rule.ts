import { KEYS } from '../codec/paths.js';
import { decodeTags } from '../codec/tags.js';

/** One key's change as the cluster cache applied it (relative key; null: absent). */
export interface KeyChange {
  readonly key: string;
  readonly before: string | null;
  readonly after: string | null;
}

/**
 * When a change in the DCS should end the loop's nap early: the rule of Patroni's etcd3 KV
 * cache (spec/core.md §3.3), applied to one change. `leader` is the leader key's value after
 * the change. A rewrite of the same value never wakes anyone.
 *
 *  - the `leader` value changed (created, deleted, another holder);
 *  - `status` or `optime/leader` got a new value, unless I am the leader (replicas follow the
 *    leader's cycle, so they publish fresh positions right after it);
 *  - `config` changed from one value to another;
 *  - beyond Patroni: a member key newly tagged `nosync`, on the leader. A synchronous standby
 *    publishes that tag before it stops or restarts and waits (2 * loop_wait at most) for the
 *    leader to drop it from `/sync`; waking the leader at once saves that wait, and a leader
 *    slower than the wait would leave commits waiting on a standby that is going away.
 */
export function wakes(change: KeyChange, leader: string | null, me: string): boolean {
  const { before, after } = change;
  if (before === after) return false;
  switch (change.key) {
    case KEYS.leader:
      return true;
    case KEYS.status:
    case KEYS.optime:
      return after !== null && leader !== me;
    case KEYS.config:
      return before !== null && after !== null;
    default:
      return (
        leader === me && change.key.startsWith(KEYS.members) && nosync(after) && !nosync(before)
      );
  }
}

/** The member value's tags say `nosync` (the string test spares parsing every member write). */
function nosync(value: string | null): boolean {
  if (value === null || !value.includes('"nosync"')) return false;
  try {
    return decodeTags((JSON.parse(value) as { tags?: unknown } | null)?.tags).nosync;
  } catch {
    return false;
  }
}
