import { PatroniError } from '../../shared/errors.js';

/** The permissions ZooKeeper knows, as Patroni's `set_acls` names them (any case). */
export const ZK_PERMISSIONS = ['READ', 'WRITE', 'CREATE', 'DELETE', 'ADMIN', 'ALL'] as const;
export type ZkPermission = (typeof ZK_PERMISSIONS)[number];

/** One entry of `zookeeper.set_acls`: an x509 principal (a certificate's subject DN) and its rights. */
export interface ZkAcl {
  readonly principal: string;
  readonly permissions: readonly ZkPermission[];
}

function fail(field: string, why: string): never {
  throw new PatroniError('CONFIG_INVALID', `zookeeper.set_acls${field}: ${why}`);
}

/**
 * `set_acls: {'CN=principal': [READ, WRITE, ...]}`: the ACL every node Patroni creates gets,
 * x509 scheme only, as Patroni 3.0.2 builds it. Patroni drops a permission it does not know; a
 * typo there would create nodes nobody may touch, so it is refused here, naming the entry.
 */
export function parseSetAcls(value: unknown): ZkAcl[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    fail('', 'must be a mapping of x509 principal to a list of permissions');
  }
  const acls = Object.entries(value as Record<string, unknown>).map(([principal, raw]) => {
    const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : null;
    if (items === null) fail(`.${principal}`, `must be a list of ${ZK_PERMISSIONS.join(', ')}`);
    const permissions = items.map((item) => {
      const p = String(item).toUpperCase();
      if (!(ZK_PERMISSIONS as readonly string[]).includes(p)) {
        fail(
          `.${principal}`,
          `unknown permission '${String(item)}' (${ZK_PERMISSIONS.join(', ')})`,
        );
      }
      return p as ZkPermission;
    });
    if (permissions.length === 0) fail(`.${principal}`, 'no permission given');
    return { principal, permissions };
  });
  if (acls.length === 0) fail('', 'no principal given');
  return acls;
}
