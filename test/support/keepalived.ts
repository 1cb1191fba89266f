/**
 * Keepalived and HAProxy inside one test namespace, as the guides pair them: HAProxy routes to the
 * Patroni primary, Keepalived holds the VIP by VRRP with unicast peers and gives it up when the
 * `chk_haproxy` script fails. Several namespaces share the machine's process table, so the check
 * looks for *this* namespace's HAProxy by its pid file, where the guides' `killall -0 haproxy`
 * would see every HAProxy on the machine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderHaproxyConfig, type HaproxyBackend } from '../../src/demo/haproxy-config.js';
import type { LabNode } from './netns.js';
import { waitFor } from './postgres.js';

export const HAPROXY_RW_PORT = 5000;
const HAPROXY_RO_PORT = 5001;
const HAPROXY_STATS_PORT = 7000;

export interface VrrpPeer {
  readonly node: LabNode;
  readonly priority: number;
}

export interface KeepalivedNode {
  readonly node: LabNode;
  /** Starts (or restarts) HAProxy in the namespace and records its pid for the check. */
  startHaproxy(): Promise<void>;
  /** kill -9 of this namespace's HAProxy. */
  killHaproxy(): Promise<void>;
  stop(): Promise<void>;
}

function spawnIn(ns: string, cmd: string, args: readonly string[], log: string): ChildProcess {
  const out = openSync(log, 'a');
  // `ip netns exec` execs the command itself, so the child's pid is the program's own.
  return spawn('ip', ['netns', 'exec', ns, cmd, ...args], { stdio: ['ignore', out, out] });
}

async function stopChild(child: ChildProcess | null, signal: NodeJS.Signals): Promise<void> {
  if (child === null || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** The keepalived.conf of the guides, with unicast peers and a per-namespace check script. */
export function renderKeepalivedConfig(opts: {
  readonly self: VrrpPeer;
  readonly peers: readonly LabNode[];
  readonly vip: string;
  readonly routerId: number;
  readonly checkScript: string;
}): string {
  const n = opts.self.node;
  return [
    'global_defs {',
    `    router_id ${n.ns.replace(/-/g, '_')}`,
    '}',
    'vrrp_script chk_haproxy {',
    `    script "${opts.checkScript}"`,
    '    interval 1',
    '    fall 1',
    '    rise 1',
    '}',
    'vrrp_instance VI_1 {',
    '    state BACKUP',
    `    interface ${n.iface}`,
    `    virtual_router_id ${opts.routerId}`,
    `    priority ${opts.self.priority}`,
    '    advert_int 1',
    `    unicast_src_ip ${n.address}`,
    '    unicast_peer {',
    ...opts.peers.map((p) => `        ${p.address}`),
    '    }',
    '    virtual_ipaddress {',
    `        ${opts.vip}/24 dev ${n.iface}`,
    '    }',
    '    track_script {',
    '        chk_haproxy',
    '    }',
    '}',
    '',
  ].join('\n');
}

/** HAProxy and Keepalived for one namespace; files in `dir` (root-owned: keepalived runs scripts). */
export async function startKeepalivedNode(opts: {
  readonly dir: string;
  readonly self: VrrpPeer;
  readonly peers: readonly LabNode[];
  readonly vip: string;
  readonly routerId: number;
  readonly backends: readonly HaproxyBackend[];
}): Promise<KeepalivedNode> {
  const { dir } = opts;
  const ns = opts.self.node.ns;
  const haproxyCfg = join(dir, 'haproxy.cfg');
  const haproxyPid = join(dir, 'haproxy.pid');
  const checkScript = join(dir, 'chk_haproxy.sh');
  const keepalivedCfg = join(dir, 'keepalived.conf');
  await writeFile(
    haproxyCfg,
    renderHaproxyConfig({
      bindHost: '0.0.0.0',
      readWritePort: HAPROXY_RW_PORT,
      readOnlyPort: HAPROXY_RO_PORT,
      statsPort: HAPROXY_STATS_PORT,
      checkIntervalMs: 300,
      backends: opts.backends,
    }),
  );
  await writeFile(checkScript, `#!/bin/sh\nexec kill -0 "$(cat '${haproxyPid}')"\n`);
  await chmod(checkScript, 0o755);
  await writeFile(keepalivedCfg, renderKeepalivedConfig({ ...opts, checkScript }));

  let haproxy: ChildProcess | null = null;
  const startHaproxy = async (): Promise<void> => {
    const child = spawnIn(ns, 'haproxy', ['-db', '-f', haproxyCfg], join(dir, 'haproxy.log'));
    haproxy = child;
    await writeFile(haproxyPid, `${child.pid ?? 0}\n`);
    await waitFor(`HAProxy listening in ${ns}`, async () => {
      if (child.exitCode !== null) throw new Error(`haproxy in ${ns} exited ${child.exitCode}`);
      const out = await new Promise<string>((resolve) => {
        const ss = spawn('ip', ['netns', 'exec', ns, 'ss', '-Hltn'], { stdio: 'pipe' });
        let text = '';
        ss.stdout.on('data', (c: Buffer) => (text += c.toString()));
        ss.once('close', () => {
          resolve(text);
        });
      });
      return out.includes(`:${HAPROXY_RW_PORT} `);
    });
  };
  await startHaproxy();
  // -n -l -D: foreground, log to the console, in detail; -P: VRRP only. Own pid files, since
  // the default ones in /run would clash between namespaces.
  const keepalived = spawnIn(
    ns,
    'keepalived',
    [
      '-n',
      '-l',
      '-D',
      '-G',
      '-P',
      '-f',
      keepalivedCfg,
      '-p',
      join(dir, 'keepalived.pid'),
      '-r',
      join(dir, 'vrrp.pid'),
      '-c',
      join(dir, 'checkers.pid'),
    ],
    join(dir, 'keepalived.log'),
  );
  return {
    node: opts.self.node,
    startHaproxy,
    killHaproxy: () => stopChild(haproxy, 'SIGKILL'),
    stop: async () => {
      await stopChild(keepalived, 'SIGTERM');
      await stopChild(haproxy, 'SIGTERM');
    },
  };
}
