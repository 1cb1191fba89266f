/**
 * What the topology can say about the cluster from outside, as an operator would see it: each
 * node's `GET /patroni`, the leader key in etcd, and the leader's `pg_stat_replication`.
 */
import pg from 'pg';
import type { EtcdMember } from '../types.js';

export interface NodeView {
  readonly role: string;
  readonly state: string;
  readonly timeline?: number;
}

/** `GET /patroni` of one node: role, state and timeline; null when it does not answer. */
export async function nodeView(restBase: string): Promise<NodeView | null> {
  try {
    const res = await fetch(`${restBase}/patroni`, { signal: AbortSignal.timeout(2000) });
    const body = (await res.json()) as { role?: unknown; state?: unknown; timeline?: unknown };
    if (typeof body.role !== 'string' || typeof body.state !== 'string') return null;
    return {
      role: body.role,
      state: body.state,
      ...(typeof body.timeline === 'number' ? { timeline: body.timeline } : {}),
    };
  } catch {
    return null;
  }
}

/** A key's value through the v3 JSON gateway of the first member that answers; null if none. */
export async function etcdValue(
  members: readonly EtcdMember[],
  key: string,
): Promise<string | null> {
  const one = async (m: EtcdMember): Promise<string | null> => {
    const res = await fetch(`${m.clientUrl}/v3/kv/range`, {
      method: 'POST',
      body: JSON.stringify({ key: Buffer.from(key).toString('base64') }),
      signal: AbortSignal.timeout(1500),
    });
    if (!res.ok) throw new Error(`etcd ${m.name}: HTTP ${res.status}`);
    const body = (await res.json()) as { kvs?: { value?: string }[] };
    const v = body.kvs?.[0]?.value;
    return v === undefined ? null : Buffer.from(v, 'base64').toString('utf8');
  };
  try {
    // Linearizable reads: a member without quorum fails instead of answering stale data.
    return await Promise.any(members.map(one));
  } catch {
    return null;
  }
}

/** application_names streaming from the server at `url`; empty when it cannot be asked. */
export async function streamingReplicas(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ application_name: string }>(
      "SELECT application_name FROM pg_stat_replication WHERE state = 'streaming'",
    );
    return rows.map((r) => r.application_name).sort();
  } catch {
    return [];
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function isPrimaryRole(role: string): boolean {
  return role === 'master' || role === 'primary';
}
