import type { JournalReply } from '../../core/journal/entry.js';
import type { WhatIfAnswer } from '../../core/journal/what-if.js';
import type { ClusterSnapshot } from '../../core/model/cluster.js';
import type { Member } from '../../core/model/member.js';
import { errorMessage } from '../../shared/errors.js';
import { clusterNameOf, ctlFailure, type CtlContext } from '../context.js';
import { renderJournalLine, renderJournalTable, renderWhy } from '../render/journal.js';

export interface JournalOptions {
  readonly clusterName: string | undefined;
  /** The member whose journal to show; the leader when null. */
  readonly member: string | null;
  /** A sequence number or an ISO time, passed to `GET /journal?since=`. */
  readonly since: string | null;
  readonly follow: boolean;
  readonly fmt: 'pretty' | 'json';
  /** Seconds between polls with --follow. */
  readonly intervalSeconds: number;
  /** Tests: stop following after this many polls. */
  readonly maxPolls?: number;
}

function pick(cluster: ClusterSnapshot, name: string | null, clusterName: string): Member {
  const wanted = name ?? cluster.leader?.name ?? null;
  if (wanted === null) throw ctlFailure(`${clusterName} has no leader; name a member`);
  const m = cluster.members.find((x) => x.name === wanted);
  if (m === undefined) throw ctlFailure(`${wanted} is not a member of cluster`);
  return m;
}

async function fetchJournal(
  ctx: CtlContext,
  m: Member,
  since: string | null,
): Promise<JournalReply> {
  const endpoint = since === null ? 'journal' : `journal?since=${encodeURIComponent(since)}`;
  const r = await ctx.rest.request(m, 'GET', endpoint);
  if (r.status !== 200) {
    throw ctlFailure(`${m.name}: GET /journal answered ${r.status}: ${r.body.trim()}`);
  }
  return JSON.parse(r.body) as JournalReply;
}

/** `patronictl journal [MEMBER] [--follow]`: the member's HA decisions and what decided them. */
export async function journalCommand(ctx: CtlContext, o: JournalOptions): Promise<void> {
  const clusterName = clusterNameOf(ctx, o.clusterName);
  const cluster = await (await ctx.openDcs(clusterName)).getCluster();
  const m = pick(cluster, o.member, clusterName);
  const first = await fetchJournal(ctx, m, o.since);
  if (o.fmt === 'json') ctx.io.out(JSON.stringify(first, null, 2));
  else if (!o.follow) ctx.io.out(renderJournalTable(first.member, first.entries));
  else for (const e of first.entries) ctx.io.out(renderJournalLine(e));
  if (!o.follow) return;
  let seq = first.seq;
  let last = first.entries[first.entries.length - 1]?.seq ?? 0;
  for (let polls = 0; o.maxPolls === undefined || polls < o.maxPolls; polls++) {
    await ctx.clock.sleep(o.intervalSeconds * 1000);
    let next: JournalReply;
    try {
      next = await fetchJournal(ctx, m, String(seq));
    } catch (error) {
      ctx.io.err(`${m.name}: ${errorMessage(error)}`);
      continue;
    }
    // A restarted daemon starts counting again: show its journal from the start.
    const restarted = next.seq < seq;
    if (restarted) {
      next = await fetchJournal(ctx, m, null);
      last = 0;
    }
    for (const e of next.entries) {
      if (e.seq <= last) continue; // a repeat of an entry already shown
      ctx.io.out(o.fmt === 'json' ? JSON.stringify(e) : renderJournalLine(e));
      last = e.seq;
    }
    seq = next.seq;
  }
}

/**
 * `patronictl why`: asks every member but the leader what it would do if the leader died now
 * (`GET /why`, the decision core replayed without the leader; nothing changes), and says who
 * would take over.
 */
export async function whyCommand(
  ctx: CtlContext,
  clusterNameGiven: string | undefined,
  fmt: 'pretty' | 'json',
): Promise<void> {
  const clusterName = clusterNameOf(ctx, clusterNameGiven);
  const cluster = await (await ctx.openDcs(clusterName)).getCluster();
  const leader = cluster.leader?.name ?? null;
  const others = cluster.members.filter((m) => m.name !== leader && m.apiUrl !== null);
  const results = await Promise.all(
    others.map(async (m) => {
      try {
        const r = await ctx.rest.request(m, 'GET', 'why');
        return r.status === 200 ? (JSON.parse(r.body) as WhatIfAnswer) : m.name;
      } catch {
        return m.name;
      }
    }),
  );
  const answers = results.filter((r): r is WhatIfAnswer => typeof r !== 'string');
  const unreachable = results.filter((r): r is string => typeof r === 'string');
  if (fmt === 'json') {
    ctx.io.out(JSON.stringify({ leader, answers, unreachable }, null, 2));
    return;
  }
  ctx.io.out(renderWhy(clusterName, leader, answers, unreachable));
}
