import { PatroniError } from '../shared/errors.js';

const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  zookeeper: 2181,
  exhibitor: 8181,
  consul: 8500,
  etcd: 2379,
  etcd3: 2379,
};

export interface ParsedDcsUrl {
  /** The DCS section the URL stands for, e.g. `{etcd3: {host: '127.0.0.1:2379'}}`. */
  readonly section: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** `/namespace` path part, when given. */
  readonly namespace: string | null;
}

/**
 * `-d/--dcs-url`: `[scheme://][host][:port][/namespace]`. Without a scheme the port picks it
 * (default etcd); the host defaults to localhost, the port to the scheme's.
 */
export function parseDcsUrl(url: string): ParsedDcsUrl {
  const withSlashes = url.includes('//') ? url : `//${url}`;
  const m = /^(?:([a-z0-9+.-]*):)?\/\/(?:[^@/]*@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d*))?([^?#]*)/i.exec(
    withSlashes,
  );
  if (m === null) throw new PatroniError('CTL_FAILED', `Invalid dcs url: ${url}`);
  const port = m[3] !== undefined && m[3] !== '' ? Number(m[3]) : null;
  let scheme = (m[1] ?? '').toLowerCase();
  if (scheme === '') {
    scheme = Object.keys(DEFAULT_PORTS).find((k) => DEFAULT_PORTS[k] === port) ?? 'etcd';
  } else if (!(scheme in DEFAULT_PORTS)) {
    throw new PatroniError('CTL_FAILED', `Unknown dcs scheme: ${scheme}`);
  }
  const host = (m[2] ?? '').replace(/^\[|\]$/g, '').toLowerCase() || 'localhost';
  const hostPort = `${host}:${port ?? DEFAULT_PORTS[scheme] ?? 2379}`;
  const path = (m[4] ?? '').replace(/^\/+/, '');
  const namespace = path === '' ? null : `/${path}`;
  const sections: Record<string, Record<string, unknown>> = {
    zookeeper: { hosts: [hostPort] },
    exhibitor: { hosts: [host], port: port ?? DEFAULT_PORTS['exhibitor'] },
    consul: { host: hostPort },
    etcd: { host: hostPort },
    etcd3: { host: hostPort },
  };
  return { section: { [scheme]: sections[scheme] ?? {} }, namespace };
}

export const DCS_SECTIONS = Object.keys(DEFAULT_PORTS);
