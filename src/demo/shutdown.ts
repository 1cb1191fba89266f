import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoLayout } from './layout.js';
import type { Managed } from './processes.js';

type Say = (line: string) => void;

async function isLeader(layout: DemoLayout, restPort: number): Promise<boolean> {
  try {
    const res = await fetch(`http://${layout.host}:${restPort}/primary`, {
      method: 'OPTIONS',
      signal: AbortSignal.timeout(2000),
    });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

/**
 * Stops the demo in the order that keeps the cluster consistent: the replicas first (together),
 * so nobody races for the lock the leader is about to release; then the leader, which releases
 * the leader key on a graceful stop; then HAProxy and etcd, which the daemons needed until then.
 */
export async function stopDemo(layout: DemoLayout, running: readonly Managed[], say: Say) {
  const daemons = running.filter((m) => m.name.startsWith('node'));
  const others = running.filter((m) => !m.name.startsWith('node'));
  const leaders = new Set<string>();
  for (const node of layout.nodes) {
    if (await isLeader(layout, node.restPort)) leaders.add(node.name);
  }
  const replicas = daemons.filter((d) => !leaders.has(d.name));
  if (replicas.length > 0) {
    say(`  stopping ${replicas.map((r) => r.name).join(', ')} (replicas) ...`);
    await Promise.all(replicas.map((r) => r.stop('SIGTERM')));
  }
  for (const leader of daemons.filter((d) => leaders.has(d.name))) {
    say(`  stopping ${leader.name} (the leader: it releases the leader lock) ...`);
    await leader.stop('SIGTERM');
  }
  for (const m of others.reverse()) {
    say(`  stopping ${m.name} ...`);
    await m.stop('SIGTERM', 10_000);
  }
}

function signalQuietly(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

function postmasterPid(dataDir: string): number | null {
  const file = join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  // A stale file may name a pid now reused by something else: only a postgres on this data dir.
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync(cmdline)) return null;
  return readFileSync(cmdline, 'utf8').includes(dataDir) ? pid : null;
}

/**
 * A demo killed with SIGKILL (or a closed terminal) leaves its children behind. Before starting
 * anew, end them: the recorded process groups, then any postmaster still serving a demo data
 * directory (it runs in a session of its own and would keep the ports).
 */
export async function killLeftovers(layout: DemoLayout, pidFile: string, say: Say) {
  let found = false;
  if (existsSync(pidFile)) {
    for (const pid of readFileSync(pidFile, 'utf8').split(/\s+/).filter(Boolean)) {
      found = signalQuietly(-Number(pid), 'SIGKILL') || found;
    }
  }
  for (const node of layout.nodes) {
    const pid = postmasterPid(node.dataDir);
    // SIGQUIT is PostgreSQL's immediate shutdown: the next start recovers from WAL.
    if (pid !== null && signalQuietly(pid, 'SIGQUIT')) {
      found = true;
      const deadline = Date.now() + 30_000;
      while (signalQuietly(pid, 0) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }
  if (found) say('  ended processes left over by a previous demo that did not stop cleanly');
}
