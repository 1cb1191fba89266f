/**
 * The DCS contract suite (src/dcs/contract) against a real etcd, through the v3 adapter or the
 * v2 one: one etcd for the test file, a fresh scope per test, raw reads and writes over the same
 * API the adapter uses.
 */
import { after, before } from 'node:test';
import { systemClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/log/logger.js';
import { basePath } from '../../src/dcs/codec/paths.js';
import { runDcsContract, type ContractHarness } from '../../src/dcs/contract/suite.js';
import { createEtcd2Dcs } from '../../src/dcs/etcd2/index.js';
import { createEtcd3Dcs } from '../../src/dcs/etcd3/index.js';
import type { Dcs } from '../../src/dcs/port.js';
import { contractClientOptions } from './dcs-adapter.js';
import { startEtcd, type EtcdHandle } from './etcd.js';
import { rawEtcd } from './etcd-raw.js';
import { rawEtcdV2 } from './etcd-raw-v2.js';

/** What the suite needs of the raw client: the two APIs differ in how a scope is removed. */
interface RawKv {
  get(key: string): Promise<string | null>;
  put(key: string, value: string): Promise<unknown>;
  removeScope(scope: string): Promise<void>;
}

function rawKv(api: 'v2' | 'v3', endpoint: string): RawKv {
  if (api === 'v2') {
    const v2 = rawEtcdV2(endpoint);
    return { ...v2, removeScope: (scope) => v2.deleteDir(basePath(scope)) };
  }
  const v3 = rawEtcd(endpoint);
  return { ...v3, removeScope: (scope) => v3.deletePrefix(`${basePath(scope)}/`) };
}

/** Registers the contract suite, named `title`, for the etcd adapter of `api`. */
export function runEtcdContract(title: string, api: 'v2' | 'v3'): void {
  let etcd: EtcdHandle | null = null;
  before(async () => {
    etcd = await startEtcd({ enableV2: api === 'v2' });
  });
  after(async () => {
    await etcd?.destroy();
  });
  const create = api === 'v2' ? createEtcd2Dcs : createEtcd3Dcs;

  runDcsContract(title, (scope) => {
    if (etcd === null) throw new Error('etcd is not running');
    const { hostPort } = etcd;
    const kv = rawKv(api, etcd.endpoint);
    const clients: Dcs[] = [];
    const harness: ContractHarness = {
      basePath: basePath(scope),
      // etcd v2 has no leases: a key's session is its ttl.
      ...(api === 'v2' ? { sessionIsTtl: true } : {}),
      client: async (name, timing = {}) => {
        const options = contractClientOptions(scope, name, timing);
        const dcs = await create({ hosts: [hostPort], protocol: 'http', ...options }, silentLogger);
        clients.push(dcs);
        return dcs;
      },
      advance: (ms) => systemClock.sleep(ms),
      rawGet: (key) => kv.get(key),
      rawPut: async (key, value) => {
        await kv.put(key, value);
      },
      cleanup: async () => {
        await Promise.all(clients.map((c) => c.close()));
        await kv.removeScope(scope);
      },
    };
    return Promise.resolve(harness);
  });
}
