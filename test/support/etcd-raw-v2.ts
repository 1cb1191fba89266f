/**
 * Raw etcd v2 access for tests (`/v2/keys` with fetch): reads and writes keys the way any other
 * v2 client (etcdctl, a Patroni 3.0.2 node) would, independently of the adapter under test.
 */
export interface RawEtcdV2 {
  get(key: string): Promise<string | null>;
  /** The key's node: value, ttl (seconds left) and modifiedIndex; null when absent. */
  node(key: string): Promise<{ value: string; ttl?: number; modifiedIndex: number } | null>;
  put(key: string, value: string, ttl?: number): Promise<number>;
  deleteDir(dir: string): Promise<void>;
}

/** `endpoint`: `http://127.0.0.1:<port>` of an etcd started with `--enable-v2`. */
export function rawEtcdV2(endpoint: string): RawEtcdV2 {
  const url = (key: string): string => `${endpoint}/v2/keys${key}`;
  const node = async (
    key: string,
  ): Promise<{ value: string; ttl?: number; modifiedIndex: number } | null> => {
    const res = await fetch(url(key), { signal: AbortSignal.timeout(5000) });
    if (res.status === 404) return null;
    const body = (await res.json()) as {
      node?: { value?: string; ttl?: number; modifiedIndex: number };
    };
    if (!res.ok || body.node === undefined) throw new Error(`etcd v2 GET ${key}: ${res.status}`);
    return { ...body.node, value: body.node.value ?? '' };
  };
  return {
    node,
    get: async (key) => (await node(key))?.value ?? null,
    put: async (key, value, ttl) => {
      const form = new URLSearchParams({
        value,
        ...(ttl === undefined ? {} : { ttl: String(ttl) }),
      });
      const res = await fetch(url(key), {
        method: 'PUT',
        body: form,
        signal: AbortSignal.timeout(5000),
      });
      const body = (await res.json()) as { node?: { modifiedIndex: number } };
      if (!res.ok || body.node === undefined) throw new Error(`etcd v2 PUT ${key}: ${res.status}`);
      return body.node.modifiedIndex;
    },
    deleteDir: async (dir) => {
      const res = await fetch(`${url(dir)}?recursive=true`, {
        method: 'DELETE',
        signal: AbortSignal.timeout(5000),
      });
      if (!res.ok && res.status !== 404) throw new Error(`etcd v2 DELETE ${dir}: ${res.status}`);
    },
  };
}
