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

describe('list --lease (ours) adds one column and leaves the rest of the table alone', () => {
  const scenario = loadScenarios().find((s) => s.snapshot.leader !== null);
  it('the leader row shows the seconds; the default table is what Patroni prints', () => {
    assert.ok(scenario !== undefined);
    const cluster = scenario.snapshot;
    const plain = echoed(renderMembers(cluster, { clusterName: scenario.scope }));
    const leased = echoed(
      renderMembers(cluster, { clusterName: scenario.scope, leaseRemaining: 4.2 }),
    );
    const plainLines = plain.split('\n');
    const leasedLines = leased.split('\n');
    assert.equal(leasedLines.length, plainLines.length);
    const header = leasedLines.find((l) => l.includes('| Member'));
    assert.match(header ?? '', /\| Lease \|$/);
    const leaderRow = leasedLines.find((l) => l.includes(`| ${cluster.leader?.name ?? '?'} `));
    assert.match(leaderRow ?? '', /\|\s+4\.2 \|$/);
    // Each line of the leased table starts with the plain table's line (minus its last edge).
    for (const [i, line] of plainLines.entries()) {
      if (line.startsWith('|')) assert.ok(leasedLines[i]?.startsWith(line.slice(0, -1)), line);
    }
  });
});
