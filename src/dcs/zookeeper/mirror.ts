import type { ClusterSnapshot } from '../../core/model/index.js';
import { errorMessage } from '../../shared/errors.js';
import type { Logger } from '../../shared/log/logger.js';
import { KEYS } from '../codec/paths.js';
import { buildSnapshot, type RawEntry } from '../codec/snapshot.js';
import type { ClusterWatch } from '../kv/cluster-watch.js';
import { wakes } from '../kv/wake-rule.js';
import type { ZkSession } from './session.js';
import type { NodeData, NodeStat, Watcher, ZkNode } from './zk-node.js';

/** The value nodes of the scope directory, and the two directories below it. */
const VALUE_NODES: ReadonlySet<string> = new Set([
  KEYS.initialize,
  KEYS.config,
  KEYS.leader,
  KEYS.failover,
  KEYS.history,
  KEYS.status,
  KEYS.sync,
  KEYS.failsafe,
]);
const MEMBERS = 'members';
const OPTIME = 'optime';

/**
 * The scope directory as this node last saw it, kept current by ZooKeeper watches (Patroni's
 * ZooKeeper client keeps the same: a cached Cluster and watches that say when to read again).
 * A full read sets a children watch on the scope and on `members/` and `optime/`, and a data
 * watch on every node; each watch that fires re-reads what it covers and re-arms itself. A
 * change by another node that matters (wake-rule.ts, as for etcd) ends the loop's wait.
 *
 * The copy is trusted while the session that set its watches lives and nothing failed since;
 * otherwise the next read is a full one.
 */
export class ZkMirror {
  private known = new Map<string, RawEntry>();
  /** Values this node is writing (null: deleting), so that their watch events do not wake it. */
  private readonly own = new Map<string, string | null>();
  private snapshot: ClusterSnapshot | null = null;
  /** The session's client the watches were set on; null: not trusted (read everything). */
  private watchedOn: ZkNode | null = null;
  private readonly watchers = new Map<string, Watcher>();
  private watchersOf: ZkNode | null = null;

  constructor(
    private readonly session: ZkSession,
    private readonly base: string,
    private readonly me: string,
    private readonly waker: ClusterWatch,
    private readonly logger: Logger,
  ) {}

  /** The watches cover everything and the session that set them is still the current one. */
  get live(): boolean {
    return this.watchedOn !== null && this.watchedOn === this.session.generation;
  }

  /** Something may have been missed: the next read is a full one. */
  distrust(): void {
    this.watchedOn = null;
  }

  entry(relative: string): RawEntry | undefined {
    return this.known.get(relative);
  }

  /** The cluster: from the copy when live (after one call as a sign of life), else read. */
  async read(): Promise<ClusterSnapshot> {
    if (this.live) {
      const node = this.watchedOn;
      await this.session.run('get_cluster', (n) => n.exists(this.base));
      // A session lost, or a watch that failed, during the call: read in full.
      if (node === this.session.generation && this.watchedOn === node) return this.cluster();
    }
    await this.session.run('get_cluster', (node) => this.load(node));
    return this.cluster();
  }

  private cluster(): ClusterSnapshot {
    this.snapshot ??= buildSnapshot(
      [...this.known.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    );
    return this.snapshot;
  }

  /** One full read of the scope directory, arming every watch on this session. */
  private async load(node: ZkNode): Promise<void> {
    const entries = new Map<string, RawEntry>();
    const children = await node.getChildren(this.base, this.watcher(node, '', 'children'));
    if (children === null) {
      // No scope yet: watch for its creation; read in full again next time, as Patroni does.
      await node.exists(this.base, this.watcher(node, '', 'children'));
    }
    await Promise.all(
      (children ?? []).map(async (child) => {
        if (child === MEMBERS || child === OPTIME) {
          for (const [rel, data] of await this.loadDir(node, child))
            entries.set(rel, entry(rel, data));
        } else if (VALUE_NODES.has(child)) {
          const data = await node.getData(this.path(child), this.watcher(node, child, 'data'));
          if (data !== null) entries.set(child, entry(child, data));
        }
      }),
    );
    this.known = entries;
    this.snapshot = null;
    this.own.clear();
    this.watchedOn = children === null ? null : node;
  }

  private async loadDir(node: ZkNode, dir: string): Promise<Map<string, NodeData>> {
    const out = new Map<string, NodeData>();
    const names = await node.getChildren(this.path(dir), this.watcher(node, dir, 'children'));
    await Promise.all(
      (names ?? []).map(async (name) => {
        const rel = `${dir}/${name}`;
        const data = await node.getData(this.path(rel), this.watcher(node, rel, 'data'));
        if (data !== null) out.set(rel, data);
      }),
    );
    return out;
  }

  private path(relative: string): string {
    return relative === '' ? this.base : `${this.base}/${relative}`;
  }

  /** One watcher function per path and kind (the library then registers it only once). */
  private watcher(node: ZkNode, relative: string, kind: 'data' | 'children'): Watcher {
    // Kept per session: a watch set again by a full read is then not registered twice.
    if (this.watchersOf !== node) {
      this.watchers.clear();
      this.watchersOf = node;
    }
    const id = `${kind}:${relative}`;
    let w = this.watchers.get(id);
    if (w === undefined) {
      w = () => {
        if (node !== this.session.generation) return;
        this.refresh(node, relative, kind).catch((error: unknown) => {
          this.logger.debug(`ZooKeeper watch re-read failed: ${errorMessage(error)}`);
          this.distrust();
        });
      };
      this.watchers.set(id, w);
    }
    return w;
  }

  /** A watch fired: read what it covers again (re-arming it) and apply what changed. */
  private async refresh(node: ZkNode, relative: string, kind: 'data' | 'children'): Promise<void> {
    if (kind === 'data') {
      this.apply(
        relative,
        await node.getData(this.path(relative), this.watcher(node, relative, 'data')),
      );
      return;
    }
    const names = await node.getChildren(
      this.path(relative),
      this.watcher(node, relative, 'children'),
    );
    const present = new Set((names ?? []).map((n) => (relative === '' ? n : `${relative}/${n}`)));
    const scope = relative === '' ? [...this.known.keys()].filter((k) => !k.includes('/')) : [];
    const inDir = [...this.known.keys()].filter(
      (k) => relative !== '' && k.startsWith(`${relative}/`),
    );
    for (const gone of [...scope, ...inDir]) if (!present.has(gone)) this.apply(gone, null);
    if (relative === '' && names === null) {
      // The scope is gone (patronictl remove): nothing watches for it now; read in full next.
      this.distrust();
      this.waker.watchLost();
      return;
    }
    await Promise.all(
      [...present].map(async (rel) => {
        if (relative === '' && (rel === MEMBERS || rel === OPTIME)) {
          // A directory already known keeps its own children watch.
          if ([...this.known.keys()].some((k) => k.startsWith(`${rel}/`))) return;
          for (const [r, data] of await this.loadDir(node, rel)) this.apply(r, data);
        } else if (relative !== '' || VALUE_NODES.has(rel)) {
          if (this.known.has(rel)) return; // its own data watch covers it
          this.apply(rel, await node.getData(this.path(rel), this.watcher(node, rel, 'data')));
        }
      }),
    );
  }

  /** This node is about to write `relative` (null: delete it): its event is not news. */
  writing(relative: string, value: string | null): void {
    this.own.set(relative, value);
  }

  /** This node's write landed (stat null: deleted, or unknown after a create). */
  wrote(relative: string, value: string | null, stat: NodeStat | null): void {
    this.own.delete(relative);
    if (value === null) this.known.delete(relative);
    else {
      const before = this.known.get(relative);
      const index = stat?.mzxid ?? before?.index ?? 0;
      this.known.set(relative, { key: relative, value, index, session: stat?.owner ?? null });
    }
    this.snapshot = null;
  }

  /** A write failed: what it may have done will show in a read. */
  failed(relative: string): void {
    this.own.delete(relative);
  }

  private apply(relative: string, data: NodeData | null): void {
    const before = this.known.get(relative);
    if (data === null) {
      if (before === undefined) return;
      this.known.delete(relative);
    } else {
      if (before !== undefined && data.stat.mzxid < before.index) return;
      this.known.set(relative, entry(relative, data));
    }
    this.snapshot = null;
    const after = data?.value ?? null;
    if (this.own.has(relative) && this.own.get(relative) === after) {
      this.own.delete(relative);
      return;
    }
    const change = { key: relative, before: before?.value ?? null, after };
    const leader = this.known.get(KEYS.leader)?.value ?? null;
    if (wakes(change, leader, this.me)) this.waker.changed(data?.stat.mzxid ?? 0);
  }
}

function entry(relative: string, data: NodeData): RawEntry {
  return { key: relative, value: data.value, index: data.stat.mzxid, session: data.stat.owner };
}
