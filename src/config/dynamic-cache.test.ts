import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DYNAMIC_CACHE_FILE, loadDynamicCache, saveDynamicCache } from './dynamic-cache.js';

describe('patroni.dynamic.json', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'patroni-ts-cache-'));
    await chmod(dir, 0o700);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips the dynamic config as compact JSON, owner-only, no temp file left', async () => {
    const config = { ttl: 30, postgresql: { parameters: { max_connections: 100 } } };
    await saveDynamicCache(dir, config);
    assert.equal(await readFile(join(dir, DYNAMIC_CACHE_FILE), 'utf8'), JSON.stringify(config));
    assert.equal((await stat(join(dir, DYNAMIC_CACHE_FILE))).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(dir), [DYNAMIC_CACHE_FILE]);
    assert.deepEqual(await loadDynamicCache(dir), config);
  });

  it('a missing or corrupt cache reads as null', async () => {
    assert.equal(await loadDynamicCache(join(dir, 'nope')), null);
    await writeFile(join(dir, DYNAMIC_CACHE_FILE), '{broken');
    assert.equal(await loadDynamicCache(dir), null);
  });

  it('a write into a missing directory fails with PG_DATA_DIR', async () => {
    await assert.rejects(saveDynamicCache(join(dir, 'missing'), {}), { code: 'PG_DATA_DIR' });
  });
});
