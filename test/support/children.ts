import type { ChildProcess } from 'node:child_process';

/**
 * Servers a test, benchmark or fault run started (etcd, ZooKeeper, HAProxy, daemons): all are
 * killed when this process exits, so one that dies halfway never leaves a server holding its
 * ports or data directory for the next run.
 */
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Kills `child` with SIGKILL if it still runs when this process exits. */
export function killOnExit(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
}

/** Resolves once `child` has exited (at once if it has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
}
