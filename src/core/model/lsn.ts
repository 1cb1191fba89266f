/**
 * WAL positions as integer bytes, the form every LSN takes on the wire (DCS and REST).
 * A JS number holds 2^53 bytes (8 PiB) of WAL exactly, which no cluster will reach.
 */
export type Lsn = number;

/** Parses PostgreSQL's `X/Y` text form; returns null for anything else. */
export function parseLsn(text: string): Lsn | null {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text.trim());
  if (m === null) return null;
  return parseInt(m[1] ?? '0', 16) * 0x1_0000_0000 + parseInt(m[2] ?? '0', 16);
}

export function formatLsn(lsn: Lsn): string {
  const hi = Math.floor(lsn / 0x1_0000_0000);
  const lo = lsn - hi * 0x1_0000_0000;
  return `${hi.toString(16).toUpperCase()}/${lo.toString(16).toUpperCase()}`;
}
