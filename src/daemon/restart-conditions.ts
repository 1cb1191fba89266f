import type { RestartRequest } from '../core/health/restart-request.js';
import type { NodeRuntime } from './runtime.js';

/** `2.4.3` style versions as PostgreSQL's integer (`90624`, `150002`). */
function versionNumber(text: string): number | null {
  const parts = text.split('.').map(Number);
  if (parts.some((p) => !Number.isInteger(p))) return null;
  const [major = 0, minor = 0, patch = 0] = parts;
  return major >= 10 ? major * 10000 + minor : major * 10000 + minor * 100 + patch;
}

/**
 * The filters of `POST /restart` (spec/core.md §16.1): role must match, the running server must be
 * older than `postgres_version`, and `restart_pending` requires a pending restart.
 */
export function restartConditionsMet(request: RestartRequest, runtime: NodeRuntime): boolean {
  const role = runtime.memory.role;
  if (request.role !== undefined) {
    const wantPrimary = request.role === 'master' || request.role === 'primary';
    if (wantPrimary !== (role === 'primary')) return false;
  }
  if (request.postgresVersion !== undefined) {
    const wanted = versionNumber(request.postgresVersion);
    const current = runtime.pg.serverVersion;
    if (wanted === null || current === null || current >= wanted) return false;
  }
  if (request.restartPending === true && !runtime.pg.pendingRestart) return false;
  return true;
}
