/**
 * A small private network for tests that move a virtual IP: one network namespace per node, each
 * with a veth pair whose other end sits on a bridge the test creates in the root namespace. The
 * bridge carries the test's own /24 under 10.213.0.0/16 and nothing else, so the root namespace
 * (where etcd, the daemons and PostgreSQL run) reaches the namespaces and they reach it; no
 * address is ever added to an interface the test did not create, and no route leaves the lab.
 * Every name carries a per-run id, so parallel test files never share a namespace or a bridge.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface LabNode {
  /** The namespace, e.g. `pts3f2a-1`. */
  readonly ns: string;
  /** The interface inside the namespace (`eth0`, renamed from the veth peer). */
  readonly iface: string;
  /** Its address on the lab subnet, e.g. `10.213.7.11`. */
  readonly address: string;
}

export interface NetLab {
  /** `10.213.N`: the lab's /24 without its last octet. */
  readonly prefix: string;
  /** The root namespace's address on the bridge (`<prefix>.1`), where servers listen. */
  readonly hostAddress: string;
  readonly bridge: string;
  readonly nodes: readonly LabNode[];
  /** Removes the namespaces (with their processes) and the bridge; safe to call twice. */
  destroy(): Promise<void>;
}

async function ip(...args: string[]): Promise<string> {
  return (await run('ip', args)).stdout;
}

/** Runs a command inside a namespace and returns its stdout. */
export async function nsExec(ns: string, cmd: string, args: readonly string[]): Promise<string> {
  return (await run('ip', ['netns', 'exec', ns, cmd, ...args])).stdout;
}

/** The IPv4 addresses on the namespace's interfaces, as `ip -br addr` lists them. */
export async function nsAddresses(ns: string): Promise<string[]> {
  const out = await nsExec(ns, 'ip', ['-4', '-br', 'addr']);
  return out
    .split('\n')
    .flatMap((line) => line.trim().split(/\s+/).slice(2))
    .map((cidr) => cidr.split('/')[0] ?? '');
}

/**
 * Why namespace tests cannot run here (not root, no `ip`, `ip netns add` refused as in an
 * unprivileged container), or null when they can.
 */
export async function netnsUnavailable(): Promise<string | null> {
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  const probe = `ptsprobe-${process.pid}`;
  try {
    await ip('netns', 'add', probe);
  } catch (error) {
    return `'ip netns add' is not permitted here: ${(error as Error).message.split('\n')[0]}`;
  }
  await ip('netns', 'del', probe).catch(() => undefined);
  return null;
}

/** A /24 under 10.213/16 that no root-namespace address or route uses yet. */
async function freePrefix(): Promise<string> {
  const used = (await ip('-4', 'addr')) + (await ip('-4', 'route'));
  for (let attempt = 0; attempt < 50; attempt++) {
    const prefix = `10.213.${1 + Math.floor(Math.random() * 254)}`;
    if (!used.includes(`${prefix}.`)) return prefix;
  }
  throw new Error('no free /24 under 10.213.0.0/16');
}

const labs = new Set<{ namespaces: string[]; bridge: string }>();
process.on('exit', () => {
  // A test file that dies halfway must not leave namespaces (and their daemons) behind.
  for (const lab of labs) removeSync(lab.namespaces, lab.bridge);
});

function removeSync(namespaces: readonly string[], bridge: string): void {
  for (const ns of namespaces) {
    killNamespaceSync(ns);
    try {
      execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
  try {
    execFileSync('ip', ['link', 'del', bridge], { stdio: 'ignore' });
  } catch {
    // already gone
  }
}

/** SIGKILL to every process still inside the namespace (only the test's own ones live there). */
function killNamespaceSync(ns: string): void {
  let pids: string[];
  try {
    pids = execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).split(/\s+/);
  } catch {
    return;
  }
  for (const pid of pids.filter((p) => /^\d+$/.test(p))) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // exited meanwhile
    }
  }
}

/** Creates the bridge and `count` namespaces (`.11`, `.12`, ... on the lab /24). */
export async function createNetLab(count: number): Promise<NetLab> {
  const id = randomBytes(2).toString('hex');
  const bridge = `ptsbr${id}`;
  const namespaces = Array.from({ length: count }, (_, i) => `pts${id}-${i + 1}`);
  const entry = { namespaces, bridge };
  labs.add(entry);
  let destroyed = false;
  const destroy = (): Promise<void> => {
    if (!destroyed) {
      destroyed = true;
      removeSync(namespaces, bridge);
      labs.delete(entry);
    }
    return Promise.resolve();
  };
  try {
    const prefix = await freePrefix();
    const hostAddress = `${prefix}.1`;
    await ip('link', 'add', bridge, 'type', 'bridge');
    await ip('addr', 'add', `${hostAddress}/24`, 'dev', bridge);
    await ip('link', 'set', bridge, 'up');
    const nodes: LabNode[] = [];
    for (const [i, ns] of namespaces.entries()) {
      const outside = `ptsv${id}${i + 1}`;
      const address = `${prefix}.${11 + i}`;
      await ip('netns', 'add', ns);
      await ip('link', 'add', outside, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
      await ip('link', 'set', outside, 'master', bridge, 'up');
      await nsExec(ns, 'ip', ['link', 'set', 'lo', 'up']);
      await nsExec(ns, 'ip', ['addr', 'add', `${address}/24`, 'dev', 'eth0']);
      await nsExec(ns, 'ip', ['link', 'set', 'eth0', 'up']);
      nodes.push({ ns, iface: 'eth0', address });
    }
    return { prefix, hostAddress, bridge, nodes, destroy };
  } catch (error) {
    await destroy();
    throw error;
  }
}
