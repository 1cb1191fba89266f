/**
 * Command flows against transcripts of the real patronictl 3.0.2 (test/fixtures/ctl/flows.json,
 * recorded by generate-flows.ts): same stdout (prompts included), exit code, REST requests and
 * DCS writes, with our fakes in place of etcd and the members' REST APIs.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Member } from '../core/model/index.js';
import { PatroniError } from '../shared/errors.js';
import { runCtl } from './main.js';
import type { HttpMethod, RestClient, RestResponse } from './ports.js';
import { FakeIo } from './testing/fake-io.js';
import { FakeClock, FakeDcs } from './testing/fakes.js';
import { FIXTURES, loadScenarios } from './testing/scenarios.js';

interface Flow {
  name: string;
  scenario: string;
  args: string[];
  stdin?: string;
  rest?: Record<string, [number, string]>;
}
interface Golden {
  rc: number;
  stdout: string;
  stderr: string;
  requests: { member: string; method: string; path: string; body: unknown }[];
  keys: Record<string, string>;
}

/** Flows where 3.0.2 crashes with a traceback: we answer better, so nothing to compare. */
const PYTHON_CRASHES = new Set(['flush-switchover-unreachable']);

function normalize(text: string): string {
  return text
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:[.,]\d+)?/g, '<TS>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d(?=\s?\))/g, '<NEXT_HOUR>');
}

/** The fake REST server of the recordings: scripted answers, 404 otherwise, refused without a script. */
class ScriptedRest implements RestClient {
  readonly requests: Golden['requests'] = [];
  constructor(private readonly flow: Flow) {}
  request(
    member: Member,
    method: HttpMethod,
    endpoint?: string,
    body?: unknown,
  ): Promise<RestResponse> {
    if (this.flow.rest === undefined) {
      return Promise.reject(new PatroniError('REST_UNREACHABLE', 'Connection refused'));
    }
    const path = endpoint === undefined ? '/patroni' : `/${endpoint}`;
    this.requests.push({
      member: member.name,
      method,
      path,
      body: body === undefined ? null : JSON.parse(JSON.stringify(body)),
    });
    const a =
      this.flow.rest[`${member.name} ${method} ${path}`] ?? this.flow.rest[`${method} ${path}`];
    return Promise.resolve(
      a === undefined ? { status: 404, body: 'not scripted' } : { status: a[0], body: a[1] },
    );
  }
}

const flows = JSON.parse(readFileSync(join(FIXTURES, 'flows.json'), 'utf8')) as Flow[];
const scenarios = new Map(loadScenarios().map((s) => [s.name, s]));

describe('command flows match patronictl 3.0.2 transcripts', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ctl-compat-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  for (const flow of flows) {
    const goldenPath = join(FIXTURES, 'golden', 'flows', `${flow.name}.json`);
    if (PYTHON_CRASHES.has(flow.name) || !existsSync(goldenPath)) continue;
    it(flow.name, async () => {
      const golden = JSON.parse(readFileSync(goldenPath, 'utf8')) as Golden;
      const scenario = scenarios.get(flow.scenario);
      assert.ok(scenario);
      const cfg = join(dir, `${flow.scenario}.yaml`);
      writeFileSync(cfg, `scope: ${scenario.scope}\netcd3:\n  host: 127.0.0.1:2379\n`);
      const stdinLines = (flow.stdin ?? '').split('\n');
      if (stdinLines[stdinLines.length - 1] === '') stdinLines.pop();
      const io = new FakeIo(stdinLines, flow.stdin ?? '');
      const dcs = new FakeDcs([scenario.snapshot]);
      const rest = new ScriptedRest(flow);
      const rc = await runCtl(['-c', cfg, ...flow.args], {
        io,
        clock: new FakeClock(),
        env: {},
        defaultConfigFile: join(dir, 'none.yaml'),
        openDcs: () => Promise.resolve(dcs),
        restClient: () => rest,
      });
      assert.equal(normalize(io.stdout), normalize(golden.stdout), 'stdout');
      assert.equal(rc, golden.rc, 'exit code');
      if (!golden.stderr.includes('Traceback') && !golden.stderr.includes(' - WARNING - ')) {
        assert.equal(io.stderr, golden.stderr, 'stderr');
      }
      assert.deepEqual(rest.requests, golden.requests, 'REST requests');
      const original = scenario.keys;
      const written = (key: 'config' | 'failover'): string | undefined =>
        dcs.writes.filter((w) => w.key === key).pop()?.value;
      const before = (key: string): string | undefined => {
        const v = original[key];
        return v === undefined ? undefined : typeof v === 'string' ? v : JSON.stringify(v);
      };
      for (const key of ['config', 'failover'] as const) {
        if (golden.keys[key] !== before(key))
          assert.equal(written(key), golden.keys[key], `${key} key`);
        else assert.equal(written(key), undefined, `${key} key untouched`);
      }
      assert.equal(
        dcs.deleted,
        golden.keys['leader'] === undefined && original['leader'] !== undefined,
        'removed',
      );
    });
  }
});
