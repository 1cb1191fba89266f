import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import type { Logger } from '../shared/log/logger.js';
import type { RestApiOptions } from './options.js';
import { text, type Reply } from './reply.js';

/** Resolves a host name to its IP addresses (dns.lookup with all: true in production). */
export type HostResolver = (host: string) => Promise<readonly string[]>;

/** IPv4-mapped IPv6 (`::ffff:10.0.0.1`) is the IPv4 address for allowlist purposes. */
export function normalizeIp(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return m?.[1] ?? ip;
}

function family(ip: string): 'ipv4' | 'ipv6' | null {
  const f = isIP(ip);
  return f === 4 ? 'ipv4' : f === 6 ? 'ipv6' : null;
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Patroni's `check_access` for unsafe endpoints, in its order: allowlist (403 `Access is
 * denied`), client certificate (403 `client certificate required`), Basic auth (401).
 */
export class AccessControl {
  private constructor(
    private readonly options: RestApiOptions,
    private readonly allowlist: BlockList | null,
    private readonly authToken: Buffer | null,
    private readonly resolve: HostResolver,
    private readonly memberHosts: () => readonly string[],
  ) {}

  /** Names in the allowlist are resolved now, at (re)load, as Patroni does. */
  static async create(
    options: RestApiOptions,
    resolve: HostResolver,
    memberHosts: () => readonly string[],
    log: Logger,
  ): Promise<AccessControl> {
    let list: BlockList | null = null;
    if (options.allowlist !== undefined) {
      list = new BlockList();
      for (const entry of options.allowlist) await addEntry(list, entry, resolve, log);
    }
    const auth = options.authentication;
    const token =
      auth === undefined
        ? null
        : sha256(Buffer.from(`${auth.username}:${auth.password}`).toString('base64'));
    return new AccessControl(options, list, token, resolve, memberHosts);
  }

  async check(req: IncomingMessage, tls: boolean): Promise<Reply | null> {
    const restricted = this.allowlist !== null || this.options.allowlistIncludeMembers === true;
    if (restricted && !(await this.allowed(normalizeIp(req.socket.remoteAddress ?? '')))) {
      return text(403, 'Access is denied');
    }
    const verify = this.options.verifyClient;
    if (tls && (verify === 'optional' || verify === 'required')) {
      // Plain sockets have no `authorized`; a TLS socket has it true only for a verified cert.
      if (
        !('authorized' in req.socket) ||
        (req.socket as { authorized: unknown }).authorized !== true
      )
        return text(403, 'client certificate required');
    }
    if (this.authToken !== null) {
      const reason = this.authFailure(req.headers.authorization);
      if (reason !== null) {
        return text(401, reason, { 'WWW-Authenticate': 'Basic realm="Patroni"' });
      }
    }
    return null;
  }

  private authFailure(header: string | undefined): string | null {
    if (header === undefined) return 'no auth header received';
    if (!header.startsWith('Basic ') || this.authToken === null) return 'not authenticated';
    // Compare digests: constant time whatever the length of what the client sent.
    return timingSafeEqual(sha256(header.slice(6)), this.authToken) ? null : 'not authenticated';
  }

  private async allowed(ip: string): Promise<boolean> {
    const fam = family(ip);
    if (fam === null) return false;
    if (this.allowlist?.check(ip, fam) === true) return true;
    if (this.options.allowlistIncludeMembers !== true) return false;
    for (const host of this.memberHosts()) {
      const ips = isIP(host) !== 0 ? [host] : await this.resolve(host).catch(() => []);
      if (ips.some((x) => normalizeIp(x) === ip)) return true;
    }
    return false;
  }
}

async function addEntry(
  list: BlockList,
  entry: string,
  resolve: HostResolver,
  log: Logger,
): Promise<void> {
  if (entry.includes('/')) {
    const [net = '', bits = ''] = entry.split('/');
    const fam = family(net);
    const prefix = Number(bits);
    if (fam === null || !/^\d+$/.test(bits) || prefix > (fam === 'ipv4' ? 32 : 128)) {
      log.error(`Invalid value "${entry}" in the allowlist`);
      return;
    }
    list.addSubnet(net, prefix, fam);
    return;
  }
  const ips = isIP(entry) !== 0 ? [entry] : await resolve(entry).catch(() => []);
  if (ips.length === 0) log.error(`Failed to resolve ${entry}`);
  for (const ip of ips) {
    const n = normalizeIp(ip);
    const fam = family(n);
    if (fam !== null) list.addAddress(n, fam);
  }
}
