/**
 * A userspace TCP proxy between one node and the etcd members, because the kernel here has no
 * netem: one listener per etcd member, all sharing one fault state. It can delay every chunk by
 * `delay ± uniform jitter` while keeping the byte order (a chunk is never released before the one
 * read before it), stall (hold every byte, keep connections open: a silent network), and drop
 * (reset every connection and every new one: a refused network).
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface ProxyTarget {
  readonly host: string;
  readonly port: number;
}

export interface LatencyProxy {
  /** The address the listeners are bound to. */
  readonly host: string;
  /** One listening port per target, in the targets' order. */
  readonly ports: readonly number[];
  /** Every chunk waits `delayMs ± jitterMs` (uniform) before it is forwarded. */
  setDelay(delayMs: number, jitterMs: number): void;
  /** Holds every byte until `clear()`; connections stay open. */
  stall(): void;
  /** Resets every connection and every new one until `clear()`. */
  drop(): void;
  /** No delay, no stall, no drop: held bytes go on. */
  clear(): void;
  /** Connections currently open through the proxy. */
  connections(): number;
  close(): Promise<void>;
}

interface FaultState {
  delayMs: number;
  jitterMs: number;
  stalled: boolean;
  dropped: boolean;
}

/** Too many bytes waiting in one direction: stop reading from the sender until they drain. */
const HIGH_WATER = 1 << 20;

/** One direction of one connection: chunks queued with the time each may be released. */
class DelayedPipe {
  private readonly queue: { due: number; chunk: Buffer | null }[] = [];
  private queuedBytes = 0;
  private lastDue = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly from: Socket,
    private readonly to: Socket,
    private readonly state: FaultState,
    private readonly rng: () => number,
  ) {
    from.on('data', (chunk: Buffer) => {
      this.push(chunk);
    });
    // The end travels behind the data, with the same delay.
    from.once('end', () => {
      this.push(null);
    });
  }

  private push(chunk: Buffer | null): void {
    const { delayMs, jitterMs } = this.state;
    const wait = Math.max(0, delayMs + (this.rng() * 2 - 1) * jitterMs);
    // Order is kept: a chunk waits at least until the one before it went.
    const due = Math.max(Date.now() + wait, this.lastDue);
    this.lastDue = due;
    this.queue.push({ due, chunk });
    this.queuedBytes += chunk?.length ?? 0;
    if (this.queuedBytes > HIGH_WATER) this.from.pause();
    this.flush();
  }

  /** Releases what is due, unless stalled; arms a timer for the next chunk. */
  flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.state.stalled || this.to.destroyed) return;
    const now = Date.now();
    for (let head = this.queue[0]; head !== undefined && head.due <= now; head = this.queue[0]) {
      this.queue.shift();
      if (head.chunk === null) {
        this.to.end();
        return;
      }
      this.queuedBytes -= head.chunk.length;
      this.to.write(head.chunk);
    }
    if (this.queuedBytes <= HIGH_WATER / 4 && this.from.isPaused()) this.from.resume();
    const next = this.queue[0];
    if (next !== undefined) {
      this.timer = setTimeout(
        () => {
          this.flush();
        },
        Math.max(1, next.due - now),
      );
    }
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

/**
 * Closes a socket with a reset where the kernel allows it. A socket whose writable side was
 * already ended has a shutdown under way, and a reset then fails (libuv refuses to reset a
 * shutting stream: EINVAL) and leaves the handle open for good: the connection outlives the
 * drop, and the process spins at exit waiting for that handle. Such a socket is only closed
 * (its FIN is on its way anyway), which the peer sees as the end it was already getting.
 */
function reset(s: Socket): void {
  if (s.writableEnded) s.destroy();
  else s.resetAndDestroy();
}

export async function startLatencyProxy(
  host: string,
  targets: readonly ProxyTarget[],
  rng: () => number = Math.random,
): Promise<LatencyProxy> {
  const state: FaultState = { delayMs: 0, jitterMs: 0, stalled: false, dropped: false };
  const sockets = new Set<Socket>();
  const pipes = new Set<DelayedPipe>();
  const servers: Server[] = [];

  const track = (s: Socket): void => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };

  const handle = (client: Socket, target: ProxyTarget): void => {
    track(client);
    if (state.dropped) {
      reset(client);
      return;
    }
    const upstream = connect(target.port, target.host);
    track(upstream);
    const there = new DelayedPipe(client, upstream, state, rng);
    const back = new DelayedPipe(upstream, client, state, rng);
    pipes.add(there);
    pipes.add(back);
    // A side that ended cleanly sent its end down its pipe, behind its data, and the other side
    // is ended in turn once that data went; a side that failed takes the other down at once.
    const closed = (into: DelayedPipe, other: Socket) => (hadError: boolean) => {
      into.stop();
      pipes.delete(into);
      if (hadError) other.destroy();
    };
    client.once('close', closed(back, upstream));
    upstream.once('close', closed(there, client));
  };

  try {
    for (const target of targets) {
      const server = createServer((client) => {
        handle(client, target);
      });
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, host, () => {
          resolve();
        });
      });
    }
  } catch (error) {
    for (const s of servers) s.close();
    throw error;
  }

  const ports = servers.map((s) => {
    const a = s.address();
    if (a === null || typeof a === 'string') throw new Error('latency proxy: no port');
    return a.port;
  });

  return {
    host,
    ports,
    setDelay: (delayMs, jitterMs) => {
      state.delayMs = delayMs;
      state.jitterMs = jitterMs;
    },
    stall: () => {
      state.stalled = true;
    },
    drop: () => {
      state.dropped = true;
      for (const s of sockets) reset(s);
    },
    clear: () => {
      state.delayMs = 0;
      state.jitterMs = 0;
      state.stalled = false;
      state.dropped = false;
      for (const p of pipes) p.flush();
    },
    connections: () => sockets.size / 2,
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => {
                resolve();
              });
            }),
        ),
      );
    },
  };
}
