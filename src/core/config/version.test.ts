import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PATRONI_TS_VERSION, implementationJson, versionLine } from './version.js';

describe('versions', () => {
  it('our release is the package version', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    assert.equal(PATRONI_TS_VERSION, pkg.version);
  });

  it('--version keeps Patroni 3.0.2 as its second word, then names patroni-ts', () => {
    assert.equal(versionLine(), `patroni 3.0.2 (patroni-ts ${PATRONI_TS_VERSION})`);
    // How tools read it (`patroni --version | awk '{print $2}'`).
    assert.equal(versionLine().split(' ')[1], '3.0.2');
    assert.deepEqual(implementationJson(), { name: 'patroni-ts', version: PATRONI_TS_VERSION });
  });
});
