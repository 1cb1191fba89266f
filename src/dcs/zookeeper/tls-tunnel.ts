import { readFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { Logger } from '../../shared/log/logger.js';
import type { ZkTls } from './options.js';

/**
 * TLS to the ensemble (`use_ssl: true`). node-zookeeper-client speaks plain TCP only, so each
 * server gets a loopback listener of this process that wraps every connection in TLS (with
 * the configured CA, client certificate and verification) on its way to the server: the
 * client connects to the listeners, and the ensemble sees TLS clients.
 */
export class TlsTunnels {
  private constructor(
    private readonly servers: readonly Server[],
    private readonly sockets: Set<Socket>,
    /** The loopback `host:port` of each server's tunnel, in the order of the hosts. */
    readonly hosts: readonly string[],
  ) {}

  static async open(hosts: readonly string[], tls: ZkTls, logger: Logger): Promise<TlsTunnels> {
    const read = async (path: string | undefined): Promise<Buffer | undefined> =>
      path === undefined ? undefined : readFile(path);
    const [ca, cert, key] = await Promise.all([read(tls.cacert), read(tls.cert), read(tls.key)]);
    const sockets = new Set<Socket>();
    // The client reconnects every few hundred ms: say each failure once a minute at most.
    const said = new Map<string, number>();
    const warn = (message: string): void => {
      const now = Date.now();
      if (now - (said.get(message) ?? -Infinity) < 60_000) return;
      said.set(message, now);
      logger.warning(message);
    };
    const servers: Server[] = [];
    const local: string[] = [];
    for (const hostPort of hosts) {
      const i = hostPort.lastIndexOf(':');
      const host = hostPort.slice(0, i).replace(/^\[|\]$/g, '');
      const port = Number(hostPort.slice(i + 1));
      const server = createServer((plain) => {
        const secure = tlsConnect({
          host,
          port,
          servername: /^[\d.:]+$/.test(host) ? undefined : host,
          rejectUnauthorized: tls.verify,
          ...(ca === undefined ? {} : { ca }),
          ...(cert === undefined ? {} : { cert }),
          ...(key === undefined ? {} : { key }),
          ...(tls.keyPassword === undefined ? {} : { passphrase: tls.keyPassword }),
        });
        for (const s of [plain, secure]) {
          sockets.add(s);
          s.once('close', () => sockets.delete(s));
          // Either side failing closes both: the client then reconnects.
          s.on('error', (error: Error) => {
            if (s === secure) warn(`ZooKeeper TLS to ${hostPort}: ${error.message}`);
            plain.destroy();
            secure.destroy();
          });
        }
        plain.pipe(secure).pipe(plain);
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
          resolve();
        });
      });
      server.unref();
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('tunnel: no port');
      servers.push(server);
      local.push(`127.0.0.1:${address.port}`);
    }
    return new TlsTunnels(servers, sockets, local);
  }

  close(): void {
    for (const s of this.sockets) s.destroy();
    for (const server of this.servers) server.close();
  }
}
