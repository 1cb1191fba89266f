import { ManualClock } from '../../shared/clock.js';
import { runDcsContract, type ContractHarness } from '../contract/suite.js';
import { basePath } from '../codec/paths.js';
import { MemoryStore } from './memory-store.js';

/** Lets the promise callbacks queued by the store run, as a real network round trip would. */
async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

runDcsContract('memory', (scope) => {
  const clock = new ManualClock();
  const store = new MemoryStore(clock);
  const harness: ContractHarness = {
    basePath: basePath(scope),
    client: (name, timing = {}) => Promise.resolve(store.client({ scope, name, ...timing })),
    advance: async (ms) => {
      await flush();
      clock.advance(ms);
      await flush();
    },
    rawGet: (key) => Promise.resolve(store.get(key)?.value ?? null),
    rawPut: (key, value) => {
      store.putRaw(key, value);
      return Promise.resolve();
    },
    cleanup: () => store.close(),
  };
  return Promise.resolve(harness);
});
