import type { DemoLayout } from './layout.js';
import { getJson } from './processes.js';

type Say = (line: string) => void;

/** Patroni's state words, as a newcomer reads them. */
const STATES: Readonly<Record<string, string>> = {
  'initializing new cluster': 'bootstrapping a new cluster (initdb)',
  'running custom bootstrap script': 'bootstrapping a new cluster (custom method)',
  'creating replica': 'cloning the leader (pg_basebackup)',
  stopped: 'PostgreSQL not running (yet)',
  starting: 'starting PostgreSQL',
  stopping: 'stopping PostgreSQL',
  'restarting after failure': 'PostgreSQL crashed: restarting it',
  'starting after demotion': 'demoted: starting as a replica',
};

/** A running primary: the node the demo calls the leader. */
function isRunningPrimary(status: Record<string, unknown> | null): boolean {
  const role = status?.['role'];
  return (role === 'master' || role === 'primary') && status?.['state'] === 'running';
}

function describe(status: Record<string, unknown> | null): string {
  if (status === null) return 'daemon starting';
  const role = typeof status['role'] === 'string' ? status['role'] : 'unknown';
  const state = typeof status['state'] === 'string' ? status['state'] : 'unknown';
  if (isRunningPrimary(status)) return 'the leader (read-write)';
  if (role === 'replica' && state === 'running') return 'a replica (read-only)';
  if (role === 'uninitialized' && state === 'stopped') return 'waiting for a leader to clone';
  return STATES[state] ?? `${role}, ${state}`;
}

function streamingNames(status: Record<string, unknown> | null): string[] {
  const rows = status?.['replication'];
  if (!Array.isArray(rows)) return [];
  return rows
    .filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null)
    .filter((r) => r['state'] === 'streaming')
    .map((r) => String(r['application_name']));
}

/**
 * Prints each node's state as it changes, until there is one leader and every other node is a
 * replica streaming from it.
 */
export async function watchProgress(
  layout: DemoLayout,
  say: Say,
  timeoutMs: number,
): Promise<void> {
  const last = new Map<string, string>();
  const announcedStreaming = new Set<string>();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const statuses = await Promise.all(
      layout.nodes.map((n) => getJson(`http://${layout.host}:${n.restPort}/patroni`)),
    );
    let leader: string | null = null;
    let streaming: string[] = [];
    for (const [i, node] of layout.nodes.entries()) {
      const status = statuses[i] ?? null;
      const text = describe(status);
      if (last.get(node.name) !== text) {
        say(`  ${node.name}: ${text}`);
        last.set(node.name, text);
      }
      if (isRunningPrimary(status)) {
        leader = node.name;
        streaming = streamingNames(status);
      }
    }
    for (const name of streaming) {
      if (!announcedStreaming.has(name)) {
        say(`  ${name}: streaming from ${String(leader)}`);
        announcedStreaming.add(name);
      }
    }
    if (leader !== null && streaming.length === layout.nodes.length - 1) {
      say(`✓ cluster healthy: ${leader} leads, ${streaming.sort().join(' and ')} stream from it`);
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`the cluster did not become healthy within ${timeoutMs / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
