import { canRunWithoutLeader } from '../../core/pg/program-args.js';
import type { PostgresOptions } from '../../core/pg/options.js';

/**
 * Some configured replica method can run without a leader (spec/core.md §10.1). `no_leader` is
 * read as the clone reads it: `'1'` and `on` count, as they do for Patroni.
 */
export function hasLeaderlessReplicaMethod(options: PostgresOptions): boolean {
  return (options.createReplicaMethods ?? []).some((m) =>
    canRunWithoutLeader(m, options.replicaMethods?.[m]),
  );
}
