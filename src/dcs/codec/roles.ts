import type { MemberRole } from '../../core/model/index.js';

/**
 * How the primary role is spelled on the wire. Patroni 3.0.2 writes `master`; 4.x writes
 * `primary`. Both are read as our internal `primary`.
 */
export type PrimaryRoleName = 'master' | 'primary';

export const DEFAULT_PRIMARY_ROLE_NAME: PrimaryRoleName = 'master';

const KNOWN_ROLES: ReadonlySet<string> = new Set([
  'replica',
  'standby_leader',
  'demoted',
  'uninitialized',
  'promoted',
]);

export function encodeRole(role: MemberRole, primaryName: PrimaryRoleName): string {
  return role === 'primary' ? primaryName : role;
}

/** Reads any role string a peer may write; unknown strings give null. */
export function decodeRole(value: unknown): MemberRole | null {
  if (value === 'master' || value === 'primary') return 'primary';
  if (typeof value === 'string' && KNOWN_ROLES.has(value)) return value as MemberRole;
  return null;
}
