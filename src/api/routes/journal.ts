import { firstValue } from '../../core/health/query.js';
import type { JournalReply, JournalSince } from '../../core/journal/entry.js';
import { json, text, type Reply } from '../reply.js';
import type { Route } from '../route.js';

/**
 * `since`: a cycle sequence number (entries that changed after it) or an ISO-8601 time (entries
 * whose last cycle was at or after it). Anything else is refused with the reason.
 */
export function parseSince(value: string | undefined): JournalSince | string {
  if (value === undefined) return null;
  if (/^\d+$/.test(value)) {
    const seq = Number(value);
    return Number.isSafeInteger(seq) ? { seq } : `since: sequence number ${value} is too large`;
  }
  // Only dates that name a day: Date.parse also takes bare numbers and words.
  const time = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) {
    return `since: expected a sequence number or an ISO 8601 time, got '${value}'`;
  }
  return { time };
}

/** Extensions of patroni-ts (Patroni has neither): the decision journal and the what-if. */
export const journalRoutes: readonly Route[] = [
  {
    method: 'GET',
    segment: 'journal',
    unsafe: false,
    body: 'none',
    handle: (req, { ctx }): Reply => {
      const since = parseSince(firstValue(req.query, 'since'));
      if (typeof since === 'string') return text(400, since);
      const journal = ctx.journal();
      const reply: JournalReply = {
        member: ctx.view().name,
        seq: journal.seq,
        entries: journal.entries(since),
      };
      return json(200, reply);
    },
  },
  {
    method: 'GET',
    segment: 'why',
    unsafe: false,
    body: 'none',
    handle: async (_req, { ctx }): Promise<Reply> => {
      const answer = await ctx.whatIfLeaderDied();
      if (answer === null) return text(503, 'no HA cycle has run yet');
      return json(200, answer);
    },
  },
];
