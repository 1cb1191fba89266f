import { KEYS } from '../codec/paths.js';
import type { KvEvent } from './backend.js';

/**
 * When a change in the DCS should end the loop's nap early: the rule of Patroni's etcd3 KV
 * cache (spec/core.md §3.3), applied to one event. `values` holds the last known value of each
 * relative key and is updated here, so that a rewrite of the same value never wakes anyone.
 *
 *  - the `leader` value changed (created, deleted, another holder);
 *  - `status` or `optime/leader` got a new value, unless I am the leader (replicas follow the
 *    leader's cycle, so they publish fresh positions right after it);
 *  - `config` changed from one value to another.
 */
export function wakes(
  event: KvEvent,
  relativeKey: string,
  values: Map<string, string>,
  me: string,
): boolean {
  if (event.type === 'lost') return true;
  const before = values.get(relativeKey) ?? null;
  const after = event.type === 'put' ? event.value : null;
  if (after === null) values.delete(relativeKey);
  else values.set(relativeKey, after);
  if (before === after) return false;
  switch (relativeKey) {
    case KEYS.leader:
      return true;
    case KEYS.status:
    case KEYS.optime:
      return after !== null && values.get(KEYS.leader) !== me;
    case KEYS.config:
      return before !== null && after !== null;
    default:
      return false;
  }
}
