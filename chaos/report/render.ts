import type { NemesisSummary } from '../check/summary.js';
import type { ReplicationMode, SystemUnderTest } from '../types.js';
import type { ColumnResult } from './types.js';

const SYSTEM_LABEL: Record<SystemUnderTest, string> = {
  'patroni-ts': 'patroni-ts',
  patroni: 'Patroni 3.0.2',
};

const s = (ms: number): string => (ms / 1000).toFixed(1);

function row(system: SystemUnderTest, r: NemesisSummary): string {
  const gap = `${s(r.writeGapMs.p50)} / ${s(r.writeGapMs.p99)} / ${s(r.writeGapMs.max)}`;
  const rec = r.recoveryMs === null ? '–' : `${s(r.recoveryMs.p50)} / ${s(r.recoveryMs.max)}`;
  const name = r.nemesis === 'all' ? '**all**' : r.nemesis;
  return `| ${name} | ${SYSTEM_LABEL[system]} | ${r.faults} | ${r.lostRows} | ${r.splitBrainMs} | ${gap} | ${rec} | ${r.falseFailovers} | ${r.neededHuman} |`;
}

const HEADER = [
  '| nemesis | system | faults | lost rows | split-brain ms | write gap p50 / p99 / max (s) | recovery p50 / max (s) | false failovers | needed human |',
  '|---|---|--:|--:|--:|--:|--:|--:|--:|',
];

/** One table per mode: a row per nemesis and system, the systems side by side under each nemesis. */
export function renderModeTable(mode: ReplicationMode, columns: readonly ColumnResult[]): string {
  const mine = columns.filter((c) => c.mode === mode);
  const names: string[] = [];
  for (const c of mine)
    for (const r of c.summary) if (!names.includes(r.nemesis)) names.push(r.nemesis);
  // `all` last, whatever order the columns met the nemeses in.
  names.sort((a, b) => Number(a === 'all') - Number(b === 'all'));
  const lines = [
    `### ${mode === 'sync' ? '`synchronous_mode: true`' : 'asynchronous'}`,
    '',
    ...HEADER,
  ];
  for (const name of names) {
    for (const c of mine) {
      const r = c.summary.find((x) => x.nemesis === name);
      if (r !== undefined) lines.push(row(c.system, r));
    }
  }
  return lines.join('\n');
}

/** Whole-run checks per column: rows lost overall, phantoms, split brain, timelines, skips. */
export function renderChecks(columns: readonly ColumnResult[]): string {
  const lines = [
    '| system | mode | final leader | acked rows | lost | phantom | split brain ms (incidents) | single timeline history | skipped faults | stopped early | minutes |',
    '|---|---|---|--:|--:|--:|--:|---|--:|---|--:|',
  ];
  for (const c of columns) {
    const tl =
      'error' in c.timelines
        ? `unknown: ${c.timelines.error}`
        : c.timelines.single
          ? 'yes'
          : `**no**: ${c.timelines.problems.join('; ')}`;
    lines.push(
      `| ${SYSTEM_LABEL[c.system]} | ${c.mode} | ${c.finalLeader ?? `**none** (rows of ${c.rowsFrom ?? 'no node'})`} | ${c.writes.acked} | ${c.writes.lost} | ${c.writes.phantom} | ${c.splitBrain.totalMs} (${c.splitBrain.incidents}) | ${tl} | ${c.skipped.length} | ${c.abandoned ?? 'no'} | ${(c.durationMs / 60_000).toFixed(1)} |`,
    );
  }
  return lines.join('\n');
}

/** Each nemesis that could not be injected: where, why, and what ran in its place. */
export function renderSkipped(columns: readonly ColumnResult[]): string[] {
  const lines = columns.flatMap((c) =>
    c.skipped.map((k) => {
      const instead =
        k.replacedBy === undefined
          ? ''
          : k.replacedBy === null
            ? '; nothing could run instead'
            : `; ${k.replacedBy} ran instead`;
      return `- ${SYSTEM_LABEL[c.system]}, ${c.mode}, #${k.index + 1} ${k.nemesis}: ${k.reason}${instead}`;
    }),
  );
  return lines.length === 0 ? [] : ['Faults not injected:', '', ...lines, ''];
}

export function renderReport(
  columns: readonly ColumnResult[],
  scheduleText: string,
  failures: readonly string[] = [],
): string {
  const modes = (['async', 'sync'] as const).filter((m) => columns.some((c) => c.mode === m));
  const faults = columns.reduce((n, c) => n + c.outcomes.length, 0);
  return [
    `## Fault suite results (seed ${columns[0]?.seed ?? '?'}, ${faults} faults in all, topology ${columns[0]?.topology ?? '?'})`,
    '',
    ...modes.flatMap((m) => [renderModeTable(m, columns), '']),
    '### Whole-run checks',
    '',
    renderChecks(columns),
    '',
    ...renderSkipped(columns),
    ...(failures.length === 0
      ? []
      : ['Columns that did not run to the end:', '', ...failures.map((f) => `- ${f}`), '']),
    '### Schedule',
    '',
    '```',
    scheduleText,
    '```',
    '',
  ].join('\n');
}
