/**
 * A snapshot of the processes that can keep a node's PostgreSQL from coming back: for the report
 * of a fault that needed a human. A stopped (T) or zombie old backend, a postmaster.pid naming a
 * process that is not that postmaster (a pid reused), a shared memory segment still attached.
 * The parsers are pure; `scanProcesses` and `nodeProcessReport` read /proc.
 */
import { readdir, readFile, readlink, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface ProcInfo {
  readonly pid: number;
  readonly comm: string;
  /** R, S, D, T (stopped), t (traced), Z (zombie), I... */
  readonly state: string;
  readonly ppid: number;
  /** Clock ticks after boot (field 22 of /proc/<pid>/stat). */
  readonly startTicks: number;
  readonly uid: number | null;
  /** The working directory: a postmaster and its children run in the data directory. */
  readonly cwd: string | null;
  readonly cmdline: string;
}

export interface StatFields {
  readonly pid: number;
  readonly comm: string;
  readonly state: string;
  readonly ppid: number;
  readonly startTicks: number;
}

/** /proc/<pid>/stat; the command name may hold spaces and parentheses, so split at the last ')'. */
export function parseStat(text: string): StatFields | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const pid = Number(text.slice(0, open).trim());
  const rest = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  // rest[0] is field 3 (state), so field N is rest[N - 3].
  const state = rest[0];
  const ppid = Number(rest[1]);
  const startTicks = Number(rest[19]);
  if (!Number.isInteger(pid) || state === undefined || !Number.isInteger(ppid)) return null;
  return {
    pid,
    comm: text.slice(open + 1, close),
    state,
    ppid,
    startTicks: Number.isFinite(startTicks) ? startTicks : 0,
  };
}

/** /proc/<pid>/cmdline: NUL-separated arguments (a zombie's is empty). */
export function parseCmdline(raw: string): string {
  return raw.replace(/\0+$/, '').split('\0').join(' ');
}

/** The real uid from /proc/<pid>/status. */
export function parseUid(status: string): number | null {
  const m = /^Uid:\s+(\d+)/m.exec(status);
  return m?.[1] === undefined ? null : Number(m[1]);
}

export interface PidFile {
  readonly pid: number | null;
  readonly dataDir: string;
  /** Epoch seconds the postmaster wrote at its start. */
  readonly startEpoch: number | null;
  readonly port: string;
  readonly status: string;
  readonly shmKey: number | null;
  readonly shmId: number | null;
}

/** postmaster.pid: pid, data dir, start epoch, port, socket dir, listen address, shm key and id, status. */
export function parsePidFile(text: string): PidFile {
  const lines = text.split('\n');
  const num = (s: string | undefined): number | null => {
    const n = Number((s ?? '').trim());
    return s !== undefined && s.trim() !== '' && Number.isInteger(n) ? n : null;
  };
  const [key, id] = (lines[6] ?? '').trim().split(/\s+/);
  return {
    pid: num(lines[0]),
    dataDir: lines[1] ?? '',
    startEpoch: num(lines[2]),
    port: (lines[3] ?? '').trim(),
    status: (lines[7] ?? '').trim(),
    shmKey: num(key),
    shmId: num(id),
  };
}

export interface ShmSegment {
  readonly key: number;
  readonly shmid: number;
  readonly cpid: number;
  readonly lpid: number;
  /** Processes attached: a new postmaster refuses the data directory while its old one's is > 0. */
  readonly nattch: number;
}

/** /proc/sysvipc/shm: a header line, then key shmid perms size cpid lpid nattch ... */
export function parseSysvShm(text: string): ShmSegment[] {
  return text
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter((f) => f.length >= 7 && f.slice(0, 7).every(Number.isFinite))
    .map((f) => ({
      key: f[0] ?? 0,
      shmid: f[1] ?? 0,
      cpid: f[4] ?? 0,
      lpid: f[5] ?? 0,
      nattch: f[6] ?? 0,
    }));
}

/** `btime` of /proc/stat: the boot time in epoch seconds. */
export function parseBootTime(procStat: string): number | null {
  const m = /^btime\s+(\d+)/m.exec(procStat);
  return m?.[1] === undefined ? null : Number(m[1]);
}

/** Linux reports start times in USER_HZ, 100 on every architecture Node runs on. */
const USER_HZ = 100;

export function startEpoch(p: Pick<ProcInfo, 'startTicks'>, bootEpoch: number): number {
  return Math.round(bootEpoch + p.startTicks / USER_HZ);
}

/** T/t (stopped or traced) and Z (zombie): states that survive a heal unless someone acts. */
export function isStuckState(state: string): boolean {
  return state === 'T' || state === 't' || state === 'Z';
}

function describe(p: ProcInfo, bootEpoch: number | null): string {
  const started = bootEpoch === null ? '' : ` started ${startEpoch(p, bootEpoch)}`;
  const cmd = p.cmdline === '' ? `[${p.comm}]` : p.cmdline;
  return `pid ${p.pid} state ${p.state} ppid ${p.ppid} uid ${p.uid ?? '?'}${started}: ${cmd}`;
}

export interface NodeSnapshot {
  readonly name: string;
  readonly dataDir: string;
  /** postmaster.pid's text, or null when there is none. */
  readonly pidFile: string | null;
}

/**
 * The report lines for one node: its postmaster.pid, what process that pid is now, its shared
 * memory segment's attachments, and every process working in its data directory (flagging the
 * stopped and zombie ones).
 */
export function nodeReport(
  node: NodeSnapshot,
  procs: readonly ProcInfo[],
  shm: readonly ShmSegment[],
  bootEpoch: number | null,
): string[] {
  const out: string[] = [];
  if (node.pidFile === null) {
    out.push('postmaster.pid: none');
  } else {
    out.push(`postmaster.pid: ${JSON.stringify(node.pidFile)}`);
    const pf = parsePidFile(node.pidFile);
    const owner = procs.find((p) => p.pid === pf.pid);
    if (pf.pid !== null) {
      if (owner === undefined) {
        out.push(`postmaster.pid names pid ${pf.pid}: no such process (stale file)`);
      } else {
        const ours = owner.cwd === node.dataDir;
        const began = bootEpoch === null ? null : startEpoch(owner, bootEpoch);
        const skew = began !== null && pf.startEpoch !== null ? began - pf.startEpoch : null;
        // Patroni 3.0.2 takes a process started over 3 s away from the file's time as another.
        const verdict =
          skew !== null && Math.abs(skew) > 3
            ? ` NOT the postmaster that wrote the file (started ${skew} s apart: pid reused)`
            : ours
              ? ''
              : ' (not working in this data directory)';
        out.push(`postmaster.pid names ${describe(owner, bootEpoch)}${verdict}`);
      }
    }
    const seg = shm.find(
      (s) => s.shmid === pf.shmId && (pf.shmKey === null || s.key === pf.shmKey),
    );
    if (pf.shmId !== null) {
      out.push(
        seg === undefined
          ? `shared memory ${pf.shmKey ?? '?'}/${pf.shmId}: gone`
          : `shared memory ${seg.key}/${seg.shmid}: ${seg.nattch} attached (created by ${seg.cpid}, last ${seg.lpid})`,
      );
    }
  }
  const here = procs.filter((p) => p.cwd === node.dataDir);
  const stuck = here.filter((p) => isStuckState(p.state));
  out.push(
    `${here.length} processes in ${node.dataDir}, ${stuck.length} stopped or zombie${stuck.length > 0 ? ':' : ''}`,
  );
  for (const p of stuck) out.push(`  STUCK ${describe(p, bootEpoch)}`);
  for (const p of here.filter((q) => !isStuckState(q.state)))
    out.push(`  ${describe(p, bootEpoch)}`);
  return out;
}

/**
 * Stopped or zombie processes of these uids that no node's data directory accounts for (a
 * zombie's cwd cannot be read, a stopped grandchild may have another cwd).
 */
export function strayReport(
  procs: readonly ProcInfo[],
  uids: ReadonlySet<number>,
  dataDirs: ReadonlySet<string>,
  bootEpoch: number | null,
): string[] {
  return procs
    .filter(
      (p) =>
        isStuckState(p.state) &&
        p.uid !== null &&
        uids.has(p.uid) &&
        (p.cwd === null || !dataDirs.has(p.cwd)),
    )
    .map((p) => `STUCK elsewhere ${describe(p, bootEpoch)}`);
}

async function readOrNull(path: string): Promise<string | null> {
  return readFile(path, 'utf8').catch(() => null);
}

/** Every process /proc lists now (one that exits meanwhile is left out). */
export async function scanProcesses(): Promise<ProcInfo[]> {
  const pids = (await readdir('/proc')).filter((e) => /^\d+$/.test(e));
  const infos = await Promise.all(
    pids.map(async (pid): Promise<ProcInfo | null> => {
      const dir = join('/proc', pid);
      const stat = await readOrNull(join(dir, 'stat'));
      const fields = stat === null ? null : parseStat(stat);
      if (fields === null) return null;
      const [status, cmdline, cwd] = await Promise.all([
        readOrNull(join(dir, 'status')),
        readOrNull(join(dir, 'cmdline')),
        readlink(join(dir, 'cwd')).catch(() => null),
      ]);
      return {
        ...fields,
        uid: status === null ? null : parseUid(status),
        cwd,
        cmdline: parseCmdline(cmdline ?? ''),
      };
    }),
  );
  return infos.filter((p): p is ProcInfo => p !== null);
}

/** The lines reportStuck writes: each node's processes, then the stray stuck ones. */
export async function processReport(
  nodes: readonly { name: string; dataDir: string }[],
): Promise<Map<string, string[]>> {
  const [procs, shmText, procStat] = await Promise.all([
    scanProcesses(),
    readOrNull('/proc/sysvipc/shm'),
    readOrNull('/proc/stat'),
  ]);
  const shm = shmText === null ? [] : parseSysvShm(shmText);
  const boot = procStat === null ? null : parseBootTime(procStat);
  const out = new Map<string, string[]>();
  const uids = new Set<number>();
  for (const n of nodes) {
    const pidFile = await readOrNull(join(n.dataDir, 'postmaster.pid'));
    out.set(n.name, nodeReport({ ...n, pidFile }, procs, shm, boot));
    // The data directory's owner runs its PostgreSQL, whether or not any of it is alive now.
    const owner = await stat(n.dataDir).catch(() => null);
    if (owner !== null) uids.add(owner.uid);
  }
  const loadavg = await readOrNull('/proc/loadavg');
  out.set('*', [
    `last pid allocated: ${loadavg?.trim().split(/\s+/)[4] ?? '?'} (pid_max ${(await readOrNull('/proc/sys/kernel/pid_max'))?.trim() ?? '?'})`,
    ...strayReport(procs, uids, new Set(nodes.map((n) => n.dataDir)), boot),
  ]);
  return out;
}
