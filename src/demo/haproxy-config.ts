/**
 * The HAProxy configuration of the usual Patroni guides: a read-write listener that health-checks
 * each node's `/primary` and a read-only one that checks `/replica`, so only the lock holder takes
 * writes. Checks are frequent and a node is marked down on the first failure because the check
 * interval adds directly to the write gap an application sees during a switchover.
 */
export interface HaproxyBackend {
  readonly name: string;
  readonly host: string;
  readonly pgPort: number;
  readonly restPort: number;
}

export interface HaproxyLayout {
  readonly bindHost: string;
  readonly readWritePort: number;
  readonly readOnlyPort: number;
  readonly statsPort: number;
  readonly checkIntervalMs: number;
  readonly backends: readonly HaproxyBackend[];
  /** Check over TLS (`check-ssl verify none`) when the REST API serves HTTPS. */
  readonly restTls?: boolean;
}

function listener(name: string, bind: string, path: string, layout: HaproxyLayout): string[] {
  const ssl = layout.restTls === true ? ' check-ssl verify none' : '';
  return [
    `listen ${name}`,
    `    bind ${bind}`,
    `    option httpchk OPTIONS ${path}`,
    '    http-check expect status 200',
    `    default-server inter ${layout.checkIntervalMs}ms fastinter ${layout.checkIntervalMs}ms fall 1 rise 1 on-marked-down shutdown-sessions`,
    ...layout.backends.map(
      (b) =>
        `    server ${b.name} ${b.host}:${b.pgPort} maxconn 100 check port ${b.restPort}${ssl}`,
    ),
    '',
  ];
}

export function renderHaproxyConfig(layout: HaproxyLayout): string {
  const h = layout.bindHost;
  return [
    'global',
    '    maxconn 200',
    '',
    'defaults',
    '    mode tcp',
    '    retries 2',
    '    timeout client 30m',
    '    timeout connect 4s',
    '    timeout server 30m',
    '    timeout check 2s',
    '',
    'listen stats',
    '    mode http',
    `    bind ${h}:${layout.statsPort}`,
    '    stats enable',
    '    stats uri /',
    '',
    ...listener('primary', `${h}:${layout.readWritePort}`, '/primary', layout),
    ...listener('replicas', `${h}:${layout.readOnlyPort}`, '/replica', layout),
  ].join('\n');
}
