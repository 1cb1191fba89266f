import { execFileSync } from 'node:child_process';
import { chownSync, closeSync, constants, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { postgresOwner } from './os-user.js';

export type WatchdogEvent =
  | { readonly at: number; readonly kind: 'timeout'; readonly seconds: number }
  | { readonly at: number; readonly kind: 'ping' | 'close' };

/**
 * The far end of Patroni's `testing` watchdog driver, as its acceptance suite has it (features/
 * environment.py WatchdogMonitor): a FIFO the daemon writes `Ctimeout=<N>\n`, `1` per ping and
 * `V` on magic close into. The reader stays open for as long as the test wants the device to
 * exist, and records every event with the time it was read.
 */
export class FifoWatchdog {
  readonly events: WatchdogEvent[] = [];
  private fd: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private pending = '';

  private constructor(readonly path: string) {}

  /** A FIFO in `dir` that the daemon's user may write. */
  static create(dir: string, name = 'watchdog.fifo'): FifoWatchdog {
    const path = join(dir, name);
    execFileSync('mkfifo', ['-m', '0600', path]);
    const owner = postgresOwner();
    if (owner !== null) chownSync(path, owner.uid, owner.gid);
    return new FifoWatchdog(path);
  }

  /** Open the reading end: from now on the daemon can open the device. */
  open(): void {
    if (this.fd !== null) return;
    this.fd = openSync(this.path, constants.O_RDONLY | constants.O_NONBLOCK);
    this.timer = setInterval(() => {
      this.drain();
    }, 50);
  }

  /** Close the reading end: opening the device fails (ENXIO) until `open` again. */
  close(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    if (this.fd !== null) {
      this.drain();
      closeSync(this.fd);
    }
    this.fd = null;
  }

  kinds(since = 0): string[] {
    return this.events
      .filter((e) => e.at >= since)
      .map((e) => (e.kind === 'timeout' ? `timeout=${e.seconds}` : e.kind));
  }

  private drain(): void {
    if (this.fd === null) return;
    const buf = Buffer.alloc(4096);
    for (;;) {
      let n: number;
      try {
        n = readSync(this.fd, buf);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') return;
        throw err;
      }
      if (n === 0) return; // no writer at the moment
      this.parse(buf.subarray(0, n).toString('utf8'));
    }
  }

  private parse(text: string): void {
    this.pending += text;
    const at = Date.now();
    while (this.pending.length > 0) {
      const c = this.pending[0];
      if (c === 'C') {
        const end = this.pending.indexOf('\n');
        if (end < 0) return;
        const m = /^Ctimeout=(\d+)$/.exec(this.pending.slice(0, end));
        if (m !== null) this.events.push({ at, kind: 'timeout', seconds: Number(m[1]) });
        this.pending = this.pending.slice(end + 1);
        continue;
      }
      if (c === '1') this.events.push({ at, kind: 'ping' });
      if (c === 'V') this.events.push({ at, kind: 'close' });
      this.pending = this.pending.slice(1);
    }
  }
}
