/**
 * What the dashboard needs of the HA decision journal: the recent entries, and a subscription to
 * new ones (in process, no polling). Entries are plain JSON-ready objects; the page renders the
 * fields it knows and shows the rest as they are.
 */
export interface JournalFeed {
  /** The entries kept now, oldest first. */
  recent(): readonly object[];
  /** Calls `listener` with each new or updated entry; returns the unsubscribe function. */
  subscribe(listener: (entry: object) => void): () => void;
}
