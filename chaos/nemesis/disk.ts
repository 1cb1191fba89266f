/**
 * The disk under the leader's pg_wal full: its WAL tmpfs (the topology's `walTmpfsMb`) filled
 * with one file, removed on heal. PostgreSQL fails at its next WAL segment; how soon depends on
 * the write load and on how many recycled segments it still has.
 */
import { emptyWalTmpfs, fillWalTmpfs } from '../topology/wal-tmpfs.js';
import type { FaultHandle, Nemesis } from '../types.js';
import { leaderNode, once } from './target.js';

export const walDiskFull: Nemesis = {
  name: 'wal-disk-full',
  hitsLeader: true,
  inject: async (t): Promise<FaultHandle> => {
    const node = await leaderNode(t);
    const dir = node.walDir;
    if (dir === undefined) {
      throw new Error('wal-disk-full needs a topology started with walTmpfsMb');
    }
    const bytes = await fillWalTmpfs(dir);
    return {
      targets: [node.name],
      description: `pg_wal of ${node.name} full (${Math.round(bytes / 1048576)} MB filler)`,
      heal: once(() => emptyWalTmpfs(dir)),
    };
  },
};
