/** Figure keys, in table order, with units and the target ratio (ours / Patroni). */
export interface FigureSpec {
  readonly key: string;
  readonly label: string;
  readonly unit: string;
  /** Target on the ratio of medians; `<=` for costs, `>=` for throughput. */
  readonly target?: { readonly op: '<=' | '>='; readonly ratio: number };
  readonly digits: number;
}

export const FIGURES: readonly FigureSpec[] = [
  {
    key: 'failover.gap',
    label: 'unplanned failover: write gap',
    unit: 's',
    target: { op: '<=', ratio: 1.0 },
    digits: 2,
  },
  {
    key: 'failover.afterLock',
    label: '  of which after the leader key was gone',
    unit: 's',
    digits: 2,
  },
  {
    key: 'failover.lost',
    label: 'unplanned failover: acked rows missing',
    unit: 'rows',
    digits: 0,
  },
  {
    key: 'failover.rejoin',
    label: 'killed node streaming again after restart',
    unit: 's',
    target: { op: '<=', ratio: 0.3 },
    digits: 1,
  },
  {
    key: 'switchover.gap',
    label: 'switchover: write gap',
    unit: 's',
    target: { op: '<=', ratio: 0.4 },
    digits: 2,
  },
  { key: 'switchover.lost', label: 'switchover: acked rows missing', unit: 'rows', digits: 0 },
  {
    key: 'switchover.command',
    label: 'patronictl switchover --force',
    unit: 's',
    target: { op: '<=', ratio: 0.5 },
    digits: 2,
  },
  {
    key: 'switchover.healthy',
    label: 'cluster healthy again after switchover',
    unit: 's',
    target: { op: '<=', ratio: 0.3 },
    digits: 1,
  },
  {
    key: 'bootstrap',
    label: 'bootstrap: 1 leader + 2 streaming',
    unit: 's',
    target: { op: '<=', ratio: 0.4 },
    digits: 1,
  },
  {
    key: 'rest.primary.ka.rps',
    label: 'GET /primary keep-alive',
    unit: 'req/s',
    target: { op: '>=', ratio: 10 },
    digits: 0,
  },
  { key: 'rest.primary.ka.p50', label: 'GET /primary keep-alive p50', unit: 'ms', digits: 2 },
  {
    key: 'rest.primary.ka.p99',
    label: 'GET /primary keep-alive p99',
    unit: 'ms',
    target: { op: '<=', ratio: 0.2 },
    digits: 2,
  },
  {
    key: 'rest.replica.ka.rps',
    label: 'GET /replica keep-alive',
    unit: 'req/s',
    target: { op: '>=', ratio: 10 },
    digits: 0,
  },
  { key: 'rest.replica.ka.p50', label: 'GET /replica keep-alive p50', unit: 'ms', digits: 2 },
  {
    key: 'rest.replica.ka.p99',
    label: 'GET /replica keep-alive p99',
    unit: 'ms',
    target: { op: '<=', ratio: 0.2 },
    digits: 2,
  },
  {
    key: 'rest.primary.new.rps',
    label: 'GET /primary new connection',
    unit: 'req/s',
    target: { op: '>=', ratio: 10 },
    digits: 0,
  },
  { key: 'rest.primary.new.p50', label: 'GET /primary new connection p50', unit: 'ms', digits: 2 },
  {
    key: 'rest.primary.new.p99',
    label: 'GET /primary new connection p99',
    unit: 'ms',
    target: { op: '<=', ratio: 0.2 },
    digits: 2,
  },
  {
    key: 'rest.replica.new.rps',
    label: 'GET /replica new connection',
    unit: 'req/s',
    target: { op: '>=', ratio: 10 },
    digits: 0,
  },
  { key: 'rest.replica.new.p50', label: 'GET /replica new connection p50', unit: 'ms', digits: 2 },
  {
    key: 'rest.replica.new.p99',
    label: 'GET /replica new connection p99',
    unit: 'ms',
    target: { op: '<=', ratio: 0.2 },
    digits: 2,
  },
  {
    key: 'daemon.rss',
    label: 'daemon RSS (each daemon)',
    unit: 'MB',
    target: { op: '<=', ratio: 1.0 },
    digits: 1,
  },
  {
    key: 'daemon.rssAnon',
    label: '  of which private (RssAnon)',
    unit: 'MB',
    digits: 1,
  },
  {
    key: 'daemon.cpu',
    label: 'daemon CPU per idle minute (each)',
    unit: 'ms',
    target: { op: '<=', ratio: 1.0 },
    digits: 0,
  },
  {
    key: 'etcd.requests',
    label: 'etcd requests per minute (cluster)',
    unit: '/min',
    target: { op: '<=', ratio: 1.0 },
    digits: 1,
  },
  { key: 'etcd.writes', label: '  of which Put/Txn/DeleteRange', unit: '/min', digits: 1 },
  { key: 'etcd.keepalives', label: '  of which LeaseKeepAlive', unit: '/min', digits: 1 },
  { key: 'etcd.reads', label: '  of which Range', unit: '/min', digits: 1 },
  { key: 'etcd.watch', label: '  of which Watch (create/cancel)', unit: '/min', digits: 1 },
];
