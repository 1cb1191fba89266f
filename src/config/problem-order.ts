/**
 * Patroni prints validation problems in the order of its schema (validator.py), walking the
 * schema and checking live values as it goes. We find schema problems and live problems in two
 * passes, so we sort the lines back into that order: operators diff our output with Patroni's.
 */

/** Key order per parent path ('' is the top level); keys not listed keep their place, after. */
const ORDER: Readonly<Record<string, readonly string[]>> = {
  '': [
    'name',
    'scope',
    'restapi',
    'bootstrap',
    'consul',
    'etcd',
    'etcd3',
    'exhibitor',
    'kubernetes',
    'raft',
    'zookeeper',
    'citus',
    'postgresql',
    'watchdog',
    'tags',
  ],
  restapi: ['listen', 'connect_address'],
  bootstrap: ['dcs', 'pg_hba', 'initdb'],
  postgresql: [
    'listen',
    'connect_address',
    'proxy_address',
    'authentication',
    'data_dir',
    'bin_name',
    'bin_dir',
    'parameters',
    'pg_hba',
    'pg_ident',
    'pg_ctl_timeout',
    'use_pg_rewind',
  ],
  'postgresql.authentication': ['replication', 'superuser', 'rewind'],
};

const UNLISTED = 1000;

function rank(line: string): number[] {
  const keys = (line.split(' ')[0] ?? '').split('.');
  const out: number[] = [];
  for (let depth = 0; depth < Math.min(keys.length, 3); depth++) {
    const parent = keys.slice(0, depth).join('.');
    const order = ORDER[parent];
    const i = order?.indexOf(keys[depth] ?? '') ?? -1;
    out.push(i < 0 ? UNLISTED : i);
  }
  return out;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/** A stable sort of `<path> <value> <message>` lines into Patroni's schema order. */
export function inPatroniOrder(lines: readonly string[]): string[] {
  return lines
    .map((line, index) => ({ line, index, key: rank(line) }))
    .sort((x, y) => compare(x.key, y.key) || x.index - y.index)
    .map((x) => x.line);
}
