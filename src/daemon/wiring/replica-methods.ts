import type { PostgresOptions } from '../../core/pg/options.js';

/** Some configured replica method can run without a leader (spec/core.md §10.1). */
export function hasLeaderlessReplicaMethod(options: PostgresOptions): boolean {
  return (options.createReplicaMethods ?? []).some((m) => {
    const s = options.replicaMethods?.[m];
    return (
      m !== 'basebackup' && s !== undefined && (s['no_leader'] === true || s['no_master'] === true)
    );
  });
}
