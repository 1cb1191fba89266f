import { NO_TAGS, type Tags } from '../../core/model/index.js';
import { isObject, toInt, type JsonObject } from './json.js';

const BOOLEAN_TAGS = ['nofailover', 'clonefrom', 'noloadbalance', 'nosync'] as const;

/**
 * Tags as Patroni publishes them: the boolean built-ins only when true, `replicatefrom` and
 * `failover_priority` when set, custom tags verbatim.
 */
export function encodeTags(tags: Tags): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of BOOLEAN_TAGS) if (tags[name]) out[name] = true;
  if (tags.replicatefrom !== undefined) out['replicatefrom'] = tags.replicatefrom;
  if (tags.failoverPriority !== undefined) out['failover_priority'] = tags.failoverPriority;
  for (const [key, value] of Object.entries(tags.custom)) {
    if (!(key in out) && !isBuiltin(key)) out[key] = value;
  }
  return out;
}

function isBuiltin(key: string): boolean {
  return (
    (BOOLEAN_TAGS as readonly string[]).includes(key) ||
    key === 'replicatefrom' ||
    key === 'failover_priority'
  );
}

/** Python truthiness, which is what Patroni applies to the boolean tags of a peer. */
function truthy(value: unknown): boolean {
  if (typeof value === 'string') return value.length > 0;
  if (typeof value === 'number') return value !== 0;
  if (isObject(value)) return Object.keys(value).length > 0;
  if (Array.isArray(value)) return value.length > 0;
  return value === true;
}

export function decodeTags(value: unknown): Tags {
  if (!isObject(value)) return NO_TAGS;
  const raw: JsonObject = value;
  const custom: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(raw)) if (!isBuiltin(key)) custom[key] = v;
  const replicatefrom = raw['replicatefrom'];
  const priority = toInt(raw['failover_priority']);
  return {
    nofailover: truthy(raw['nofailover']),
    clonefrom: truthy(raw['clonefrom']),
    noloadbalance: truthy(raw['noloadbalance']),
    nosync: truthy(raw['nosync']),
    ...(typeof replicatefrom === 'string' ? { replicatefrom } : {}),
    ...(priority !== null ? { failoverPriority: priority } : {}),
    custom,
  };
}
