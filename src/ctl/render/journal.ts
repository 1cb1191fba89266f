import type { JournalEntry } from '../../core/journal/entry.js';
import type { WhatIfAnswer } from '../../core/journal/what-if.js';
import { peerSentence, refusalSentence, type RaceReport } from '../../core/ha/race.js';
import { renderPrettyTable } from './pretty-table.js';

/** `2026-12-05T22:00:00.123Z` -> `2026-12-05 22:00:00` (UTC, as the journal stores it). */
function shortTime(iso: string): string {
  return iso
    .replace('T', ' ')
    .replace(/\.\d+Z$/, '')
    .replace(/Z$/, '');
}

function bytes(n: number | null): string {
  return n === null ? '?' : String(n);
}

/** The inputs that decided an entry, compactly: `lock: node1, tl 2, lag 0`. */
export function inputsSummary(e: JournalEntry): string {
  const i = e.inputs;
  const parts: string[] = [];
  if (!i.dcsReachable) parts.push('DCS unreachable');
  else if (i.lockOwner !== null) parts.push(`lock: ${i.lockOwner}`);
  else
    parts.push(`lock: none${i.previousLockOwner === null ? '' : ` (was ${i.previousLockOwner})`}`);
  if (i.leaseLeftMs !== null) parts.push(`lease ${Math.round(i.leaseLeftMs / 1000)} s`);
  if (i.timeline !== null) parts.push(`tl ${i.timeline}`);
  if (i.lagBytes !== null) parts.push(`lag ${i.lagBytes}`);
  if (i.bestPeer !== null)
    parts.push(`best peer ${i.bestPeer.name} (lag ${bytes(i.bestPeer.lagBytes)})`);
  if (i.failover !== null) {
    const f = i.failover;
    parts.push(
      f.leader === null
        ? `failover to ${f.candidate ?? '?'}`
        : `switchover from ${f.leader}${f.candidate === null ? '' : ` to ${f.candidate}`}`,
    );
  }
  if (i.paused) parts.push('paused');
  if (i.sync.synchronousMode) parts.push(`sync: ${i.sync.standbys.join(',') || 'none'}`);
  if (i.inFlight !== null) parts.push(`running: ${i.inFlight}`);
  return parts.join(', ');
}

/** The race of an entry: who was compared and why the others were refused. */
export function raceSummary(race: RaceReport | null): string {
  if (race === null) return '';
  const lines: string[] = [];
  if (race.refusal !== null) lines.push(`did not race: ${refusalSentence(race.refusal)}`);
  else if (race.raced) lines.push('raced for the lock');
  for (const p of race.peers) lines.push(peerSentence(p.name, p.verdict));
  return lines.join('\n');
}

function when(e: JournalEntry): string {
  return e.count === 1 ? shortTime(e.first) : `${shortTime(e.first)}\n..${shortTime(e.last)}`;
}

/** `patronictl journal`: one row per entry, oldest first. */
export function renderJournalTable(member: string, entries: readonly JournalEntry[]): string {
  return renderPrettyTable({
    title: ` Journal: ${member} `,
    columns: ['Seq', 'Time (UTC)', 'Count', 'Decision', 'Inputs', 'Race'],
    align: { Seq: 'r', Count: 'r' },
    rows: entries.map((e) => [
      String(e.seq),
      when(e),
      String(e.count),
      `${e.kind}\n${e.sentence}`,
      inputsSummary(e),
      raceSummary(e.race),
    ]),
  });
}

/** `patronictl journal --follow`: one line per new entry (a table cannot grow). */
export function renderJournalLine(e: JournalEntry): string {
  const race = raceSummary(e.race)
    .split('\n')
    .filter((l) => l !== '')
    .join('; ');
  const head = `${shortTime(e.first)} #${e.seq} ${e.kind}: ${e.sentence}`;
  return `${head} [${inputsSummary(e)}]${race === '' ? '' : ` {${race}}`}`;
}

/** Who would take over: the racers, most WAL first. */
export function takeoverVerdict(leader: string | null, answers: readonly WhatIfAnswer[]): string {
  if (leader === null) return 'There is no leader now: nothing to lose.';
  const racers = answers
    .filter((a) => a.wouldRace)
    .sort((a, b) => (b.lsn ?? -1) - (a.lsn ?? -1) || a.member.localeCompare(b.member));
  const head = `If the leader ${leader} died now`;
  if (racers.length === 0) return `${head}, nobody would take over.`;
  const [first, ...rest] = racers;
  if (rest.length === 0) return `${head}, ${first?.member ?? '?'} would take over.`;
  const names = racers.map((r) => r.member).join(', ');
  return `${head}, ${names} would race for the lock; the first to take it wins (${first?.member ?? '?'} has the most WAL).`;
}

/** `patronictl why`: each member's answer and the verdict under it. */
export function renderWhy(
  cluster: string,
  leader: string | null,
  answers: readonly WhatIfAnswer[],
  unreachable: readonly string[],
): string {
  const rows = answers.map((a) => [
    a.member,
    a.wouldRace ? 'yes' : 'no',
    a.lsn === null ? '' : String(a.lsn),
    a.skipped ?? a.sentence,
    raceSummary(a.race),
  ]);
  for (const name of unreachable) rows.push([name, '?', '', 'did not answer', '']);
  const table = renderPrettyTable({
    title: ` Cluster: ${cluster} `,
    columns: ['Member', 'Would race', 'WAL', 'Would decide', 'Why'],
    align: { WAL: 'r' },
    rows,
  });
  return `${table}\n${takeoverVerdict(leader, answers)}`;
}
