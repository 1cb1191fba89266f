import zookeeper from 'node-zookeeper-client';
import type { Client } from 'node-zookeeper-client';
import type { Clock } from '../../shared/clock.js';
import type { ZkAcl } from './acls.js';
import { PatroniError, errorMessage, isPatroniError } from '../../shared/errors.js';
import type { Logger } from '../../shared/log/logger.js';
import { int64, isZkError, ZkNode } from './zk-node.js';

/**
 * The two internals of node-zookeeper-client 1.1.x we reach into, because its API has no
 * equivalent: dropping a connection that stopped answering (the library sends pings but never
 * notices that no reply comes, so a hung server would hold every call forever; kazoo drops it
 * after its read timeout), and the server list (Exhibitor may change the ensemble; kazoo's
 * `set_hosts`). Both keep the session.
 */
interface ConnectionInternals {
  readonly connectionManager?: {
    socket?: { destroy(): void };
    servers?: { host: string; port: number }[];
  };
}

function internals(client: Client): ConnectionInternals['connectionManager'] {
  return (client as unknown as ConnectionInternals).connectionManager;
}

export interface SessionEvents {
  /** The connection dropped (it may come back with the same session). */
  onDisconnected(): void;
  /** The session is gone: its ephemeral nodes and its watches with it. */
  onSessionLost(): void;
}

function parseHost(hostPort: string): { host: string; port: number } {
  const i = hostPort.lastIndexOf(':');
  return i < 0
    ? { host: hostPort, port: 2181 }
    : { host: hostPort.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(hostPort.slice(i + 1)) };
}

class CallTimeout extends Error {}

/**
 * This node's one ZooKeeper session (Patroni's KazooClient): its timeout is the ttl, so its
 * ephemeral nodes (the leader and member keys) vanish ttl seconds after the node stops
 * answering. Every call runs within retry_timeout: it waits for a connection, retries after a
 * lost connection, and drops a connection that does not answer (the library then reconnects
 * to the next server with the same session). An expired session is replaced by a new one.
 */
export class ZkSession {
  private client: Client | null = null;
  private node: ZkNode | null = null;
  private connected = false;
  private session: string | null = null;
  private waiters = new Set<() => void>();
  private closed = false;

  constructor(
    private hosts: readonly string[],
    private ttlSeconds: number,
    private retryTimeoutSeconds: number,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly acls: readonly ZkAcl[] | undefined,
    private readonly events: SessionEvents,
  ) {}

  /** The current session's ID (decimal, as ephemeralOwner shows it); null before it exists. */
  get id(): string | null {
    return this.session;
  }

  /** A new client object per session; its identity tells watches of an older session apart. */
  get generation(): ZkNode | null {
    return this.node;
  }

  setRetryTimeout(seconds: number): void {
    this.retryTimeoutSeconds = seconds;
  }

  /** A new ttl needs a new session (ZooKeeper cannot change a session's timeout). */
  setTtl(seconds: number): void {
    if (seconds === this.ttlSeconds) return;
    this.ttlSeconds = seconds;
    if (this.client !== null) {
      this.logger.info('ZooKeeper session timeout changed: starting a new session');
      this.discard(true);
      this.events.onSessionLost();
    }
  }

  /** The ensemble changed (Exhibitor): later connections go to these servers. */
  setHosts(hosts: readonly string[]): void {
    this.hosts = hosts;
    const manager = this.client === null ? undefined : internals(this.client);
    if (manager?.servers !== undefined) manager.servers = hosts.map(parseHost);
  }

  /**
   * Runs `op` on a connected session within retry_timeout. Throws DCS_UNREACHABLE when no
   * server answers in time; other ZooKeeper errors (no node, bad version...) pass through.
   */
  async run<T>(what: string, op: (node: ZkNode) => Promise<T>): Promise<T> {
    const deadline = this.clock.now() + this.retryTimeoutSeconds * 1000;
    let last: unknown = null;
    for (;;) {
      const left = deadline - this.clock.now();
      if (left <= 0 || this.closed) throw unreachable(what, last ?? 'no answer in time');
      const node = await this.ready(left);
      if (node === null) throw unreachable(what, last ?? 'not connected');
      const window = deadline - this.clock.now();
      try {
        return await this.within(op(node), window);
      } catch (error) {
        if (error instanceof CallTimeout) {
          // A server silent for a second (or half the budget) is hung; a call left only a
          // sliver of the budget, after waiting for a connection, says nothing about it.
          if (window >= Math.min(1000, (this.retryTimeoutSeconds * 1000) / 2)) {
            this.logger.warning(`ZooKeeper did not answer ${what}: dropping the connection`);
            internals(node.client)?.socket?.destroy();
          }
          throw unreachable(what, 'no answer in time');
        }
        if (!isZkError(error, 'connection-loss') && !isZkError(error, 'session-expired'))
          throw error;
        last = error;
        await this.clock.sleep(Math.min(100, Math.max(0, deadline - this.clock.now())));
      }
    }
  }

  /** Waits up to `ms` for a connected session; false when none came in time. */
  async connect(ms: number): Promise<boolean> {
    return (await this.ready(ms)) !== null;
  }

  /** Closes the session (its ephemeral nodes go at once). */
  close(): Promise<void> {
    this.closed = true;
    this.discard(true);
    this.wakeWaiters();
    return Promise.resolve();
  }

  private within<T>(call: Promise<T>, ms: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => {
          reject(new CallTimeout());
        },
        Math.max(0, ms),
      );
      call.then(
        (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        (e: unknown) => {
          clearTimeout(timer);
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
  }

  /** The connected client, waiting up to `ms` for a connection; null when none came. */
  private async ready(ms: number): Promise<ZkNode | null> {
    const deadline = this.clock.now() + ms;
    for (;;) {
      this.ensureClient();
      if (this.connected && this.node !== null) return this.node;
      const left = deadline - this.clock.now();
      if (left <= 0 || this.closed) return null;
      await this.stateChange(left);
    }
  }

  /** Resolves at the next connection or session change, or after `ms`. */
  private stateChange(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const controller = new AbortController();
      const done = (): void => {
        this.waiters.delete(done);
        controller.abort();
        resolve();
      };
      this.waiters.add(done);
      void this.clock.sleep(ms, controller.signal).then(done);
    });
  }

  private wakeWaiters(): void {
    for (const wake of [...this.waiters]) wake();
  }

  private ensureClient(): void {
    if (this.client !== null || this.closed) return;
    const client = zookeeper.createClient(this.hosts.join(','), {
      sessionTimeout: this.ttlSeconds * 1000,
      // Try the next server soon: Patroni's "fail earlier and retry more often".
      spinDelay: 200,
      retries: 0,
    });
    const node = new ZkNode(client, this.acls);
    this.client = client;
    this.node = node;
    this.connected = false;
    client.on('state', (state) => {
      if (this.client !== client) return;
      this.onState(client, state);
    });
    client.connect();
  }

  private onState(client: Client, state: zookeeper.State): void {
    const { State } = zookeeper;
    if (state === State.SYNC_CONNECTED) {
      this.connected = true;
      const id = int64(client.getSessionId()).toString();
      if (this.session !== id) this.logger.info(`ZooKeeper session ${id} established`);
      this.session = id;
      this.wakeWaiters();
    } else if (state === State.DISCONNECTED) {
      this.connected = false;
      this.events.onDisconnected();
    } else if (state === State.EXPIRED) {
      this.logger.warning(`ZooKeeper session ${this.session ?? '?'} expired`);
      this.discard(false);
      this.events.onSessionLost();
      this.wakeWaiters();
    }
  }

  /** Forgets the client (closing its session when `closeSession`); the next call makes another. */
  private discard(closeSession: boolean): void {
    const client = this.client;
    this.client = null;
    this.node = null;
    this.connected = false;
    this.session = null;
    if (client === null) return;
    client.removeAllListeners('state');
    if (closeSession) {
      client.close();
      // A close on a hung connection would wait forever: cut it after a moment.
      setTimeout(() => internals(client)?.socket?.destroy(), 1000).unref();
    } else {
      internals(client)?.socket?.destroy();
    }
  }
}

function unreachable(what: string, cause: unknown): PatroniError {
  if (isPatroniError(cause, 'DCS_UNREACHABLE')) return cause;
  return new PatroniError(
    'DCS_UNREACHABLE',
    `ZooKeeper is not responding properly: ${what}: ${errorMessage(cause)}`,
    { recoverable: true, cause },
  );
}
