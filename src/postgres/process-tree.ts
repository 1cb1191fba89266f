/**
 * A postmaster's children as /proc lists them. Each child of a postmaster calls setsid(), so a
 * signal to the postmaster's process group reaches none of them: ending them all means naming
 * each (Patroni 3.0.2's `signal_kill`).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Parent pid and state letter of one /proc/<pid>/stat text (the name may hold ')'). */
export function parseStatLine(stat: string): { ppid: number; state: string } | null {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ppid = Number(rest[1]);
  const state = rest[0];
  if (state === undefined || state === '' || !Number.isInteger(ppid)) return null;
  return { ppid, state };
}

function readStat(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
}

/** pid → parent pid of every process now. */
export function parentTable(): Map<number, number> {
  const table = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return table;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const stat = readStat(Number(e));
    const parsed = stat === null ? null : parseStatLine(stat);
    if (parsed !== null) table.set(Number(e), parsed.ppid);
  }
  return table;
}

/** Every process below `pid` (children, their children...), in the table given. */
export function descendantsOf(pid: number, parents: ReadonlyMap<number, number>): number[] {
  const children = new Map<number, number[]>();
  for (const [p, pp] of parents) children.set(pp, [...(children.get(pp) ?? []), p]);
  const out: number[] = [];
  const queue = [pid];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const c of children.get(next) ?? []) {
      if (c === pid || out.includes(c)) continue;
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

/** Gone, or a zombie (it holds no memory and no socket; whoever adopted it reaps it). */
export function processGone(pid: number): boolean {
  const stat = readStat(pid);
  if (stat === null) return true;
  return parseStatLine(stat)?.state === 'Z';
}
