/**
 * patronictl against a cluster whose REST API demands basic auth (restapi.authentication from
 * PATRONI_RESTAPI_USERNAME/PASSWORD, as an operator's unit file would set them): with the
 * credentials the unsafe calls succeed, without them each member reports Patroni's 401 line.
 * Needs the build (`make build`).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { TestCluster, type TestNode } from '../support/cluster.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const AUTH = { PATRONI_RESTAPI_USERNAME: 'ops', PATRONI_RESTAPI_PASSWORD: 'ctl-secret' };

function patronictl(
  config: string,
  args: readonly string[],
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, 'bin/patronictl'), ['-c', config, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end();
  });
}

describe('patronictl and REST basic auth', { timeout: 600_000 }, () => {
  let cluster: TestCluster;
  let leader: TestNode;
  const saved = { ...process.env };

  before(async () => {
    // The daemons inherit this process's environment.
    Object.assign(process.env, AUTH);
    cluster = await TestCluster.start({ nodes: [{ name: 'node1' }, { name: 'node2' }] });
    leader = await cluster.waitForHealthy();
  });
  after(async () => {
    for (const k of Object.keys(AUTH)) {
      if (saved[k] === undefined) Reflect.deleteProperty(process.env, k);
      else process.env[k] = saved[k];
    }
    await cluster.stop();
  });

  it('without credentials every unsafe call is answered 401 and reported per member (exit 0)', async () => {
    const env = { ...process.env };
    for (const k of Object.keys(AUTH)) Reflect.deleteProperty(env, k);
    const r = await patronictl(
      leader.configPath,
      ['restart', 'batman', leader.name, '--force'],
      env,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      new RegExp(`Failed: restart for member ${leader.name}, status code=401, \\(`),
    );
  });

  it('with restapi.authentication from the environment the call succeeds', async () => {
    const r = await patronictl(leader.configPath, ['reload', 'batman', '--force'], {
      ...process.env,
      ...AUTH,
    });
    assert.equal(r.code, 0, r.stderr);
    for (const n of cluster.nodes) {
      assert.match(
        r.stdout,
        new RegExp(`(No changes to apply on member|Reload request received for member) ${n.name}`),
      );
    }
    assert.doesNotMatch(r.stdout, /Failed/);
  });
});
