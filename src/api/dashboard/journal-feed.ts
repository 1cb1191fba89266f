import type { Journal } from '../../core/journal/index.js';

/**
 * What the dashboard needs of the HA decision journal: the entries kept now (oldest first) and
 * a subscription to new and repeated ones, in process (no polling).
 */
export type JournalFeed = Pick<Journal, 'entries' | 'subscribe'>;
