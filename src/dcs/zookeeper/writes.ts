import type { ZkMirror } from './mirror.js';
import type { ZkSession } from './session.js';
import { isZkError, type NodeStat, type ZkNode } from './zk-node.js';

/**
 * The writes of Patroni's ZooKeeper client, each within one `session.run` (retry_timeout),
 * told to the mirror so that their watch events do not wake this node. CAS indexes are the
 * mzxid of the node as read (a store-wide revision, like etcd's mod_revision, so that 0 can
 * mean "must not exist"); the write itself is then guarded by the node's version, so a change
 * between the check and the write is refused by ZooKeeper.
 */
export class ZkWrites {
  constructor(
    private readonly session: ZkSession,
    private readonly mirror: ZkMirror,
    private readonly base: string,
  ) {}

  path(relative: string): string {
    return `${this.base}/${relative}`;
  }

  /**
   * Patroni's `_set_or_create`: without `index`, set (or create when missing); with index 0,
   * create only; with another index, set only if the node's mzxid is still that. Returns the
   * node's new stat, or false when the condition failed.
   */
  async setOrCreate(relative: string, value: string, index?: number): Promise<NodeStat | false> {
    const path = this.path(relative);
    return this.tracked(relative, value, async (node) => {
      if (index === 0) return this.createPersistent(node, path, value);
      if (index !== undefined) {
        const stat = await node.exists(path);
        if (stat === null || stat.mzxid !== index) return false;
        return this.guarded(node.setData(path, value, stat.version));
      }
      try {
        return await node.setData(path, value);
      } catch (error) {
        if (!isZkError(error, 'no-node')) throw error;
        return this.createPersistent(node, path, value);
      }
    });
  }

  /** Deletes a node; with `version`, only that version of it. False when refused or missing. */
  async remove(relative: string, version?: number): Promise<boolean> {
    const path = this.path(relative);
    const result = await this.tracked(relative, null, async (node) => {
      try {
        await node.remove(path, version ?? -1);
        return null;
      } catch (error) {
        if (isZkError(error, 'no-node') || isZkError(error, 'bad-version')) return false;
        throw error;
      }
    });
    return result !== false;
  }

  /** Creates an ephemeral node on my session; false when it exists. */
  async createEphemeral(relative: string, value: string): Promise<boolean> {
    const path = this.path(relative);
    const result = await this.tracked(relative, value, async (node) => {
      try {
        await node.create(path, value, true);
        return await node.exists(path);
      } catch (error) {
        if (isZkError(error, 'node-exists')) return false;
        throw error;
      }
    });
    return result !== false;
  }

  /**
   * Runs one write, telling the mirror before (so that its own watch event is no news) and
   * after (value null: deleted).
   */
  private async tracked<T extends NodeStat | null>(
    relative: string,
    value: string | null,
    write: (node: ZkNode) => Promise<T | false>,
  ): Promise<T | false> {
    this.mirror.writing(relative, value);
    try {
      const result = await this.session.run(`write ${relative}`, write);
      if (result === false) this.mirror.failed(relative);
      else this.mirror.wrote(relative, value, result);
      return result;
    } catch (error) {
      this.mirror.failed(relative);
      throw error;
    }
  }

  private async createPersistent(
    node: ZkNode,
    path: string,
    value: string,
  ): Promise<NodeStat | false> {
    try {
      await node.create(path, value, false);
    } catch (error) {
      if (isZkError(error, 'node-exists')) return false;
      throw error;
    }
    return (await node.exists(path)) ?? false;
  }

  private async guarded(write: Promise<NodeStat>): Promise<NodeStat | false> {
    try {
      return await write;
    } catch (error) {
      if (isZkError(error, 'bad-version') || isZkError(error, 'no-node')) return false;
      throw error;
    }
  }
}
