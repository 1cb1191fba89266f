import { join } from 'node:path';

/**
 * Where every piece of the demo lives. Ports sit away from the defaults (PostgreSQL 5432, etcd 2379,
 * Patroni 8008) so the demo runs beside a system PostgreSQL or etcd without a clash.
 */
export interface DemoNode {
  readonly name: string;
  readonly dir: string;
  readonly dataDir: string;
  readonly configPath: string;
  readonly logPath: string;
  readonly pgPort: number;
  readonly restPort: number;
}

export interface DemoLayout {
  readonly stateDir: string;
  readonly scope: string;
  readonly host: string;
  readonly etcdClientPort: number;
  readonly etcdPeerPort: number;
  readonly etcdDir: string;
  readonly haproxyConfigPath: string;
  readonly readWritePort: number;
  readonly readOnlyPort: number;
  readonly statsPort: number;
  readonly nodes: readonly DemoNode[];
}

export function demoLayout(stateDir: string, nodeCount = 3): DemoLayout {
  const nodes: DemoNode[] = [];
  for (let i = 1; i <= nodeCount; i++) {
    const dir = join(stateDir, `node${i}`);
    nodes.push({
      name: `node${i}`,
      dir,
      dataDir: join(dir, 'data'),
      configPath: join(dir, 'patroni.yml'),
      logPath: join(dir, 'patroni.log'),
      pgPort: 15431 + i,
      restPort: 18007 + i,
    });
  }
  return {
    stateDir,
    scope: 'demo',
    host: '127.0.0.1',
    etcdClientPort: 12379,
    etcdPeerPort: 12380,
    etcdDir: join(stateDir, 'etcd'),
    haproxyConfigPath: join(stateDir, 'haproxy.cfg'),
    readWritePort: 15000,
    readOnlyPort: 15001,
    statsPort: 17000,
    nodes,
  };
}
