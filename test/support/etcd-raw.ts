/**
 * Raw etcd v3 access for tests, over the HTTP/JSON gateway with fetch: it writes and reads keys
 * the way any other client would, independently of the adapter under test.
 */
export interface RawEtcd {
  get(key: string): Promise<string | null>;
  /** Keys under `prefix` with their value and lease ('0' when none). */
  range(prefix: string): Promise<{ key: string; value: string; lease: string }[]>;
  /** Returns the revision of the write. */
  put(key: string, value: string, lease?: string): Promise<number>;
  deletePrefix(prefix: string): Promise<void>;
  grantLease(ttlSeconds: number): Promise<string>;
  revokeLease(id: string): Promise<void>;
  /** Seconds a lease has left (etcd rounds down to whole seconds); -1 when it is gone. */
  leaseTimeToLive(id: string): Promise<number>;
  compact(revision: number): Promise<void>;
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string | undefined): string => Buffer.from(s ?? '', 'base64').toString('utf8');

function prefixEnd(prefix: string): string {
  const end = Buffer.from(prefix, 'utf8');
  end[end.length - 1] = (end[end.length - 1] ?? 0) + 1;
  return end.toString('base64');
}

interface Kv {
  key?: string;
  value?: string;
  lease?: string;
}

/** `endpoint`: `http://127.0.0.1:<port>` (etcd 3.4+, so the API lives under /v3). */
export function rawEtcd(endpoint: string): RawEtcd {
  const call = async <T>(path: string, body: object): Promise<T> => {
    const res = await fetch(`${endpoint}/v3${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    const answer = (await res.json()) as T & { error?: string };
    if (!res.ok || answer.error !== undefined)
      throw new Error(`etcd ${path}: HTTP ${res.status} ${JSON.stringify(answer)}`);
    return answer;
  };
  return {
    get: async (key) => {
      const r = await call<{ kvs?: Kv[] }>('/kv/range', { key: b64(key) });
      const kv = r.kvs?.[0];
      return kv === undefined ? null : unb64(kv.value);
    },
    range: async (prefix) => {
      const r = await call<{ kvs?: Kv[] }>('/kv/range', {
        key: b64(prefix),
        range_end: prefixEnd(prefix),
      });
      return (r.kvs ?? []).map((kv) => ({
        key: unb64(kv.key),
        value: unb64(kv.value),
        lease: kv.lease ?? '0',
      }));
    },
    put: async (key, value, lease) => {
      const r = await call<{ header: { revision: string } }>('/kv/put', {
        key: b64(key),
        value: b64(value),
        ...(lease === undefined ? {} : { lease }),
      });
      return Number(r.header.revision);
    },
    deletePrefix: async (prefix) => {
      await call('/kv/deleterange', { key: b64(prefix), range_end: prefixEnd(prefix) });
    },
    grantLease: async (ttlSeconds) => {
      const r = await call<{ ID: string }>('/lease/grant', { TTL: String(ttlSeconds) });
      return r.ID;
    },
    revokeLease: async (id) => {
      await call('/lease/revoke', { ID: id });
    },
    leaseTimeToLive: async (id) => {
      const r = await call<{ TTL?: string }>('/lease/timetolive', { ID: id });
      return Number(r.TTL ?? -1);
    },
    compact: async (revision) => {
      await call('/kv/compaction', { revision: String(revision), physical: true });
    },
  };
}
