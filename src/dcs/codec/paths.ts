/**
 * Where Patroni keeps a cluster in the DCS (spec/core.md §2.1). Every adapter addresses keys
 * through these helpers, so a node of ours and a Patroni 3.0.2 node agree on the bytes of a key.
 */

/** Relative key names under the scope directory (constants of Patroni's `AbstractDCS`). */
export const KEYS = {
  initialize: 'initialize',
  config: 'config',
  leader: 'leader',
  failover: 'failover',
  history: 'history',
  members: 'members/',
  optime: 'optime/leader',
  status: 'status',
  sync: 'sync',
  failsafe: 'failsafe',
} as const;

export const DEFAULT_NAMESPACE = '/service/';

/**
 * `'/' + namespace + '/' + scope` with runs of `/` collapsed: namespaces `service`, `/service`
 * and `/service/` all give `/service/<scope>`. A Citus group adds one more component.
 */
export function basePath(
  scope: string,
  namespace: string = DEFAULT_NAMESPACE,
  group?: number,
): string {
  const parts = ['', namespace, scope];
  if (group !== undefined) parts.push(String(group));
  return parts.join('/').replace(/\/+/g, '/').replace(/\/$/, '');
}

/** The directory prefix used for one recursive read of the cluster (trailing slash included). */
export function scopePrefix(base: string): string {
  return `${base}/`;
}

export function memberKey(name: string): string {
  return `${KEYS.members}${name}`;
}

/** Absolute key for a relative one. */
export function absoluteKey(base: string, relative: string): string {
  return `${base}/${relative}`;
}

/**
 * The member name of a relative key, or null when the key is not exactly one level below
 * `members/` (deeper keys are not member data: Patroni ignores them too).
 */
export function memberNameOf(relative: string): string | null {
  if (!relative.startsWith(KEYS.members)) return null;
  const name = relative.slice(KEYS.members.length);
  return name.length > 0 && !name.includes('/') ? name : null;
}
