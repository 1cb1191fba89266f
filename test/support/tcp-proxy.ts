import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy that can cut a client off from its server: `cut()` drops every
 * connection and holds new ones open without forwarding a byte (a silent network), `mend()`
 * forwards again. Used to let a ZooKeeper session expire while its client lives on.
 */
export interface TcpProxy {
  readonly hostPort: string;
  cut(): void;
  /**
   * Forwards new connections again. `keepHeld` leaves the connections taken while cut open
   * and silent, as a server that accepted them while starting and never answered.
   */
  mend(options?: { readonly keepHeld?: boolean }): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const held = new Set<Socket>();
  let cutOff = false;
  const track = (s: Socket): void => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const server: Server = createServer((client) => {
    track(client);
    if (cutOff) {
      held.add(client);
      client.once('close', () => held.delete(client));
      return;
    }
    const upstream = connect(targetPort, targetHost);
    track(upstream);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy: no port');
  return {
    hostPort: `127.0.0.1:${address.port}`,
    cut: () => {
      cutOff = true;
      for (const s of sockets) if (!held.has(s)) s.destroy();
    },
    mend: (options = {}) => {
      cutOff = false;
      if (options.keepHeld !== true) for (const s of held) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}
