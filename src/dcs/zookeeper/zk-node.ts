/**
 * The ZooKeeper calls the adapter makes, as promises, over one node-zookeeper-client `Client`
 * (the only file that calls the library's operations). Library errors become `ZkError` with a
 * small set of reasons, once, here.
 */
import zookeeper from 'node-zookeeper-client';
import type { Client, Stat } from 'node-zookeeper-client';
import type { ZkAcl, ZkPermission } from './acls.js';

/** Why a ZooKeeper call failed, as the adapter branches on it. */
export type ZkReason =
  | 'no-node'
  | 'node-exists'
  | 'bad-version'
  | 'not-empty'
  /** The connection dropped with the call in flight (it may or may not have been applied). */
  | 'connection-loss'
  | 'session-expired'
  | 'other';

export class ZkError extends Error {
  constructor(
    readonly reason: ZkReason,
    message: string,
  ) {
    super(message);
    this.name = 'ZkError';
  }
}

export function isZkError(error: unknown, reason?: ZkReason): error is ZkError {
  return error instanceof ZkError && (reason === undefined || error.reason === reason);
}

const { Exception } = zookeeper;

function reasonOf(code: number): ZkReason {
  switch (code) {
    case Exception.NO_NODE:
      return 'no-node';
    case Exception.NODE_EXISTS:
      return 'node-exists';
    case Exception.BAD_VERSION:
      return 'bad-version';
    case Exception.NOT_EMPTY:
      return 'not-empty';
    case Exception.CONNECTION_LOSS:
      return 'connection-loss';
    case Exception.SESSION_EXPIRED:
      return 'session-expired';
    default:
      return 'other';
  }
}

function translate(error: unknown): ZkError {
  if (error instanceof Exception) return new ZkError(reasonOf(error.getCode()), error.toString());
  return new ZkError('other', error instanceof Error ? error.message : String(error));
}

/** What the adapter keeps of a znode's Stat: its CAS tokens and its owner. */
export interface NodeStat {
  /** mzxid: the zxid of the last change, a store-wide revision (> 0). */
  readonly mzxid: number;
  /** The node's own version counter (ZooKeeper's CAS token). */
  readonly version: number;
  /** The session that owns an ephemeral node (decimal, as kazoo shows it); null: persistent. */
  readonly owner: string | null;
}

/** 8-byte big-endian signed integer (zxids, session IDs), as Python's kazoo decodes them. */
export function int64(buffer: Buffer): bigint {
  return buffer.readBigInt64BE(0);
}

function statOf(stat: Stat): NodeStat {
  const owner = int64(stat.ephemeralOwner);
  return {
    mzxid: Number(int64(stat.mzxid)),
    version: stat.version,
    owner: owner === 0n ? null : owner.toString(),
  };
}

export type Watcher = (event: zookeeper.Event) => void;

/** One node's value and stat; null when it does not exist. */
export interface NodeData {
  readonly value: string;
  readonly stat: NodeStat;
}

/** Promise-shaped calls on one client. */
/** `set_acls` as ZooKeeper ACL entries (x509 scheme); absent: the open ACL, as kazoo's default. */
function aclList(acls: readonly ZkAcl[] | undefined): zookeeper.ACL[] {
  // world:anyone with every right (the library's OPEN_ACL_UNSAFE, missing from its typings).
  if (acls === undefined) {
    return [new zookeeper.ACL(zookeeper.Permission.ALL, new zookeeper.Id('world', 'anyone'))];
  }
  const bits: Record<ZkPermission, number> = {
    READ: zookeeper.Permission.READ,
    WRITE: zookeeper.Permission.WRITE,
    CREATE: zookeeper.Permission.CREATE,
    DELETE: zookeeper.Permission.DELETE,
    ADMIN: zookeeper.Permission.ADMIN,
    ALL: zookeeper.Permission.ALL,
  };
  return acls.map(
    (acl) =>
      new zookeeper.ACL(
        acl.permissions.reduce((mask, p) => mask | bits[p], 0),
        new zookeeper.Id('x509', acl.principal),
      ),
  );
}

export class ZkNode {
  private readonly acl: zookeeper.ACL[];

  constructor(
    readonly client: Client,
    acls?: readonly ZkAcl[],
  ) {
    this.acl = aclList(acls);
  }

  getData(path: string, watcher?: Watcher): Promise<NodeData | null> {
    return new Promise((resolve, reject) => {
      const done = (error: unknown, data: Buffer | undefined, stat: Stat | undefined): void => {
        if (error !== null && error !== undefined) {
          const e = translate(error);
          if (e.reason === 'no-node') resolve(null);
          else reject(e);
          return;
        }
        if (stat === undefined) {
          reject(new ZkError('other', `getData ${path}: no stat`));
          return;
        }
        resolve({ value: data?.toString('utf8') ?? '', stat: statOf(stat) });
      };
      if (watcher === undefined) this.client.getData(path, done);
      else this.client.getData(path, watcher, done);
    });
  }

  /** The children's names; null when the node does not exist. */
  getChildren(path: string, watcher?: Watcher): Promise<string[] | null> {
    return new Promise((resolve, reject) => {
      const done = (error: unknown, children: string[] | undefined): void => {
        if (error !== null && error !== undefined) {
          const e = translate(error);
          if (e.reason === 'no-node') resolve(null);
          else reject(e);
          return;
        }
        resolve(children ?? []);
      };
      if (watcher === undefined) this.client.getChildren(path, done);
      else this.client.getChildren(path, watcher, done);
    });
  }

  exists(path: string, watcher?: Watcher): Promise<NodeStat | null> {
    return new Promise((resolve, reject) => {
      const done = (error: unknown, stat: Stat | null | undefined): void => {
        if (error !== null && error !== undefined) reject(translate(error));
        else resolve(stat === undefined || stat === null ? null : statOf(stat));
      };
      if (watcher === undefined) this.client.exists(path, done);
      else this.client.exists(path, watcher, done);
    });
  }

  /** Creates a node; its missing parents are created first (persistent, empty), as kazoo's makepath. */
  async create(path: string, value: string, ephemeral: boolean): Promise<void> {
    try {
      await this.createOnce(path, value, ephemeral);
    } catch (error) {
      if (!isZkError(error, 'no-node')) throw error;
      await this.mkdirp(path.slice(0, path.lastIndexOf('/')));
      await this.createOnce(path, value, ephemeral);
    }
  }

  private createOnce(path: string, value: string, ephemeral: boolean): Promise<void> {
    const mode = ephemeral ? zookeeper.CreateMode.EPHEMERAL : zookeeper.CreateMode.PERSISTENT;
    return new Promise((resolve, reject) => {
      this.client.create(path, Buffer.from(value, 'utf8'), this.acl, mode, (error: unknown) => {
        if (error !== null && error !== undefined) reject(translate(error));
        else resolve();
      });
    });
  }

  private mkdirp(path: string): Promise<void> {
    if (path === '' || path === '/') return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.client.mkdirp(path, this.acl, (error: unknown) => {
        if (error !== null && error !== undefined) reject(translate(error));
        else resolve();
      });
    });
  }

  /** Sets a node's value; `version` -1 matches any version. */
  setData(path: string, value: string, version = -1): Promise<NodeStat> {
    return new Promise((resolve, reject) => {
      this.client.setData(path, Buffer.from(value, 'utf8'), version, (error: unknown, stat) => {
        if (error !== null && error !== undefined) reject(translate(error));
        else resolve(statOf(stat));
      });
    });
  }

  remove(path: string, version = -1): Promise<void> {
    return new Promise((resolve, reject) => {
      this.client.remove(path, version, (error: unknown) => {
        if (error !== null && error !== undefined) reject(translate(error));
        else resolve();
      });
    });
  }

  /** Removes a node and everything below it; a missing node is no error. */
  async removeRecursive(path: string): Promise<void> {
    const children = await this.getChildren(path);
    if (children === null) return;
    await Promise.all(children.map((c) => this.removeRecursive(`${path}/${c}`)));
    try {
      await this.remove(path);
    } catch (error) {
      if (!isZkError(error, 'no-node')) throw error;
    }
  }
}
