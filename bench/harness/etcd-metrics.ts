/** Requests a DCS received, by kind (for etcd v3: gRPC messages by method, from /metrics). */
export type EtcdCounts = ReadonlyMap<string, number>;

const LINE = /^grpc_server_msg_received_total\{([^}]*)\}\s+([0-9.e+]+)$/;

export async function etcdCounts(endpoint: string): Promise<EtcdCounts> {
  const res = await fetch(`${endpoint}/metrics`, { signal: AbortSignal.timeout(5000) });
  const text = await res.text();
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (m === null) continue;
    const method = /grpc_method="([^"]+)"/.exec(m[1] ?? '')?.[1] ?? '?';
    counts.set(method, (counts.get(method) ?? 0) + Number(m[2]));
  }
  return counts;
}

/** Per-method difference `after - before`. */
export function diffCounts(before: EtcdCounts, after: EtcdCounts): Map<string, number> {
  const out = new Map<string, number>();
  for (const [method, n] of after) out.set(method, n - (before.get(method) ?? 0));
  return out;
}
