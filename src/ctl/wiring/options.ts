import { Option } from 'commander';
import { PatroniError } from '../../shared/errors.js';
import { ROLE_CHOICES, type RoleChoice } from '../context.js';

/** Option parsing helpers shared by the command wiring files. */
export type Opts = Record<string, unknown>;

export const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
export const bool = (v: unknown): boolean => v === true;
export const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
export const nonEmpty = (v: string | undefined): string | null =>
  v === undefined || v === '' ? null : v;
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function watchSeconds(o: Opts): number | null {
  const w = str(o['watch']);
  if (w !== null) {
    const n = Number(w);
    if (!Number.isFinite(n))
      throw new PatroniError(
        'CTL_USAGE',
        `Invalid value for '-w' / '--watch': '${w}' is not a valid float.`,
      );
    if (n > 0) return n;
  }
  return bool(o['W']) ? 2 : null;
}

export function noCitus(o: Opts): void {
  if (o['group'] !== undefined) {
    throw new PatroniError(
      'CTL_FAILED',
      'Citus clusters (--group) are not supported by this patronictl',
    );
  }
}

/** Builds the command tree; `ctx()` loads the configuration on first use. */
export const roleOption = (dflt: RoleChoice | null, help: string): Option => {
  const o = new Option('-r, --role <role>', help).choices(ROLE_CHOICES);
  return dflt === null ? o : o.default(dflt);
};
