import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { golden, loadCases, loadScenarios } from '../testing/scenarios.js';
import { renderMembers } from './members.js';
import { renderConfig, renderHistory } from './history.js';

/** What click.echo prints for each chunk. */
function echoed(chunks: readonly (string | null)[]): string {
  return chunks
    .filter((c): c is string => c !== null)
    .map((c) => `${c}\n`)
    .join('');
}

function render(
  args: readonly string[],
  scenario: ReturnType<typeof loadScenarios>[number],
): string {
  const [command, ...rest] = args;
  const fmtAt = rest.indexOf('-f');
  const fmt = fmtAt === -1 ? 'pretty' : (rest[fmtAt + 1] ?? 'pretty');
  const cluster = scenario.snapshot;
  switch (command) {
    case 'list':
      return echoed(
        renderMembers(cluster, { clusterName: scenario.scope, extended: rest.includes('-e'), fmt }),
      );
    case 'topology':
      return echoed(renderMembers(cluster, { clusterName: scenario.scope, fmt: 'topology' }));
    case 'history':
      return echoed([renderHistory(cluster, fmt)]);
    case 'show-config':
      return echoed([renderConfig(cluster.config?.data ?? {})]);
    case undefined:
    default:
      throw new Error(`no renderer for ${String(command)}`);
  }
}

describe('patronictl output is byte-identical to patronictl 3.0.2', () => {
  for (const scenario of loadScenarios()) {
    for (const c of loadCases()) {
      const expected = golden(scenario.name, c.name);
      if (expected === null) continue;
      it(`${scenario.name}: ${c.args.join(' ')}`, () => {
        assert.equal(render(c.args, scenario), expected);
      });
    }
  }
});
