/** Choosing whom a fault hits, and waiting for a signal to take effect. */
import type { ChaosNode, Topology } from '../types.js';

/** One element, chosen by the schedule's seeded generator. */
export function pick<T>(rng: () => number, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length) % Math.max(1, items.length)];
  if (item === undefined) throw new Error('nothing to choose from');
  return item;
}

/** `count` distinct elements, in the generator's order. */
export function pickSome<T>(rng: () => number, items: readonly T[], count: number): T[] {
  const left = [...items];
  const out: T[] = [];
  while (out.length < count && left.length > 0) {
    const i = Math.floor(rng() * left.length) % left.length;
    out.push(...left.splice(i, 1));
  }
  return out;
}

/**
 * The node holding the leader key; when the DCS cannot say (no quorum), the one whose REST API
 * says it is the primary. A fault on "the leader" with no leader is a schedule error.
 */
export async function leaderNode(t: Topology): Promise<ChaosNode> {
  const name =
    (await t.leader()) ??
    [...(await t.status()).entries()].find(
      ([, v]) => v?.role === 'master' || v?.role === 'primary',
    )?.[0];
  const node = t.nodes.find((n) => n.name === name);
  if (node === undefined) throw new Error('no leader to hit: the cluster has none now');
  return node;
}

/** A node other than the leader, chosen at random. */
export async function replicaNode(t: Topology, rng: () => number): Promise<ChaosNode> {
  const leader = await leaderNode(t).catch(() => null);
  return pick(
    rng,
    t.nodes.filter((n) => n !== leader),
  );
}

/** Polls until `done()` holds; throws naming `what` after `timeoutMs`. */
export async function until(
  what: string,
  done: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A heal that runs its body once, however often it is called. */
export function once(body: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | null = null;
  return () => (done ??= body());
}
