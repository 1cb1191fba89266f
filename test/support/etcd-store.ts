import type { TestStore } from './cluster.js';
import type { EtcdHandle } from './etcd.js';

/**
 * A cluster's DCS on a running etcd: the `kind` section of patroni.yml (`etcd3` for the v3 API,
 * `etcd` for v2) and a raw view of its keys over the API the nodes use.
 */
export function etcdStoreOf(
  etcd: EtcdHandle,
  kind: 'etcd' | 'etcd3',
  section?: (hostPort: string) => Readonly<Record<string, unknown>>,
): TestStore {
  return {
    etcd,
    section: { [kind]: section?.(etcd.hostPort) ?? { hosts: etcd.hostPort } },
    value: (key) => (kind === 'etcd' ? v2Value(etcd, key) : v3Value(etcd, key)),
    destroy: () => etcd.destroy(),
  };
}

async function v2Value(etcd: EtcdHandle, key: string): Promise<string | null> {
  const res = await fetch(`${etcd.endpoint}/v2/keys${key}`, { signal: AbortSignal.timeout(3000) });
  if (res.status === 404) return null;
  return ((await res.json()) as { node?: { value?: string } }).node?.value ?? null;
}

/** Over the v3 JSON gateway. */
async function v3Value(etcd: EtcdHandle, key: string): Promise<string | null> {
  const res = await fetch(`${etcd.endpoint}/v3/kv/range`, {
    method: 'POST',
    body: JSON.stringify({ key: Buffer.from(key).toString('base64') }),
    signal: AbortSignal.timeout(3000),
  });
  const body = (await res.json()) as { kvs?: { value?: string }[] };
  const v = body.kvs?.[0]?.value;
  return v === undefined ? null : Buffer.from(v, 'base64').toString('utf8');
}
