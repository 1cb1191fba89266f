import type { DecisionRecord } from '../core/journal/entry.js';
import { redactText } from '../shared/log/redact.js';

/**
 * The journal is served over REST and kept in memory: every string in a record passes the same
 * redaction as the log (a task name or an error text could carry a conninfo with a password).
 */
export function redactRecord(record: DecisionRecord): DecisionRecord {
  return redactStrings(record) as DecisionRecord;
}

function redactStrings(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map(redactStrings);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactStrings(v)]));
  }
  return value;
}
