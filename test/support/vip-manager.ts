/**
 * vip-manager (Debian's 1.0.2) for one node, inside that node's test namespace: it watches the
 * leader key in etcd and holds the VIP on the namespace's interface while the key names its node.
 * 1.0.2 reads etcd through the v2 API only (`/v2/keys`), so the cluster must use `etcd:`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LabNode } from './netns.js';

export interface VipManagerHandle {
  readonly node: LabNode;
  stop(): Promise<void>;
}

/** The vip-manager.yml of the README recipe. */
export function renderVipManagerConfig(opts: {
  readonly vip: string;
  readonly iface: string;
  readonly scope: string;
  readonly name: string;
  readonly etcdEndpoint: string;
}): string {
  return [
    `ip: ${opts.vip}`,
    'netmask: 24',
    `interface: ${opts.iface}`,
    `trigger-key: /service/${opts.scope}/leader`,
    `trigger-value: ${opts.name}`,
    'dcs-type: etcd',
    'dcs-endpoints:',
    `  - ${opts.etcdEndpoint}`,
    'interval: 500',
    'retry-after: 250',
    'retry-num: 2',
    '',
  ].join('\n');
}

export async function startVipManager(opts: {
  readonly dir: string;
  readonly node: LabNode;
  readonly vip: string;
  readonly scope: string;
  readonly name: string;
  readonly etcdEndpoint: string;
}): Promise<VipManagerHandle> {
  const config = join(opts.dir, `vip-manager-${opts.name}.yml`);
  await writeFile(config, renderVipManagerConfig({ ...opts, iface: opts.node.iface }));
  const out = openSync(join(opts.dir, `vip-manager-${opts.name}.log`), 'a');
  const child: ChildProcess = spawn(
    'ip',
    ['netns', 'exec', opts.node.ns, 'vip-manager', '--config', config],
    { stdio: ['ignore', out, out] },
  );
  return {
    node: opts.node,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
