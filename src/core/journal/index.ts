export { Journal, DEFAULT_JOURNAL_CAPACITY } from './journal.js';
export type {
  DecisionInputs,
  DecisionRecord,
  JournalEntry,
  JournalEvent,
  JournalListener,
  JournalReply,
  JournalSince,
  PeerPosition,
} from './entry.js';
export type { Reason, ReasonKind } from '../ha/reason.js';
export { REASON_KINDS, sentence } from '../ha/reason.js';
export type { PeerVerdict, RacePeer, RaceRefusal, RaceReport } from '../ha/race.js';
