import { createServer } from 'node:net';
import type { DemoLayout } from './layout.js';

function portInUse(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => {
      resolve(true);
    });
    server.listen(port, host, () => {
      server.close(() => {
        resolve(false);
      });
    });
  });
}

/** Every port the demo listens on, with what it is for, as the error message names them. */
export function demoPorts(layout: DemoLayout): { port: number; what: string }[] {
  return [
    { port: layout.etcdClientPort, what: 'etcd client' },
    { port: layout.etcdPeerPort, what: 'etcd peer' },
    ...layout.nodes.flatMap((n) => [
      { port: n.pgPort, what: `${n.name} PostgreSQL` },
      { port: n.restPort, what: `${n.name} REST API` },
    ]),
    { port: layout.readWritePort, what: 'HAProxy read-write' },
    { port: layout.readOnlyPort, what: 'HAProxy read-only' },
    { port: layout.statsPort, what: 'HAProxy stats' },
  ];
}

/**
 * Fails before starting anything when a port is taken (most often by a demo running from another
 * checkout), instead of a timeout a minute later.
 */
export async function busyPorts(layout: DemoLayout): Promise<string[]> {
  const busy: string[] = [];
  for (const { port, what } of demoPorts(layout)) {
    if (await portInUse(layout.host, port)) busy.push(`${layout.host}:${port} (${what})`);
  }
  return busy;
}
