import { connect, type Socket } from 'node:net';
import type { LoadResult } from '../rest/fresh-connections.js';

interface Reply {
  readonly status: number;
  /** The server keeps the connection open for the next request. */
  readonly reusable: boolean;
}

/**
 * Reads one HTTP response off a socket: the status, and whether the connection can carry the
 * next request (HTTP/1.1 with a Content-Length and no `Connection: close`). Patroni 3.0.2
 * answers HTTP/1.0 without Content-Length and closes, so its body ends with the connection.
 */
function readReply(socket: Socket): Promise<Reply> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    let head: { status: number; length: number | null; reusable: boolean; at: number } | null =
      null;
    const done = (reply: Reply | Error): void => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('error', onError);
      if (reply instanceof Error) reject(reply);
      else resolve(reply);
    };
    const onData = (chunk: Buffer): void => {
      buf = Buffer.concat([buf, chunk]);
      if (head === null) {
        const at = buf.indexOf('\r\n\r\n');
        if (at < 0) return;
        const text = buf.subarray(0, at).toString('latin1');
        const status = Number(text.slice(9, 12));
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(text)?.[1];
        const close = /\r\nconnection:\s*close/i.test(text);
        const v11 = text.startsWith('HTTP/1.1');
        head = {
          status,
          length: length === undefined ? null : Number(length),
          reusable: v11 && !close && length !== undefined,
          at: at + 4,
        };
      }
      if (head.length !== null && buf.length >= head.at + head.length) {
        done({ status: head.status, reusable: head.reusable });
      }
    };
    const onEnd = (): void => {
      done(
        head === null ? new Error('connection closed') : { status: head.status, reusable: false },
      );
    };
    const onError = (e: Error): void => {
      done(e);
    };
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('error', onError);
  });
}

function open(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host, port, noDelay: true }, () => {
      s.off('error', reject);
      resolve(s);
    });
    s.on('error', reject);
  });
}

/**
 * A closed loop of `connections` concurrent GETs for `durationS` seconds over raw sockets, light
 * enough that the load generator is not the bottleneck on a small machine. With `keepAlive` a
 * connection is reused as long as the server allows; without, each request opens its own (as
 * HAProxy's httpchk does). Latency includes connecting when a new connection was needed.
 */
export async function httpLoad(
  url: string,
  durationS: number,
  connections: number,
  keepAlive: boolean,
): Promise<LoadResult> {
  const u = new URL(url);
  const port = Number(u.port);
  const request = Buffer.from(
    `GET ${u.pathname} HTTP/1.1\r\nHost: ${u.host}\r\nConnection: ${keepAlive ? 'keep-alive' : 'close'}\r\n\r\n`,
  );
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const deadline = performance.now() + durationS * 1000;
  const worker = async (): Promise<void> => {
    let socket: Socket | null = null;
    while (performance.now() < deadline) {
      const started = performance.now();
      try {
        socket ??= await open(u.hostname, port);
        const reply = readReply(socket);
        socket.write(request);
        const { status, reusable } = await reply;
        latencies.push(performance.now() - started);
        if (status < 200 || status > 299) non2xx++;
        if (!reusable || !keepAlive) {
          socket.destroy();
          socket = null;
        }
      } catch {
        errors++;
        socket?.destroy();
        socket = null;
      }
    }
    socket?.destroy();
  };
  await Promise.all(Array.from({ length: connections }, worker));
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.floor((latencies.length - 1) * q)] ?? 0;
  return { rps: latencies.length / durationS, p50: at(0.5), p99: at(0.99), non2xx, errors };
}
