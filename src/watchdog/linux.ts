import { accessSync, closeSync, constants, openSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import { WatchdogError, fsErrorText, type WatchdogDevice } from './device.js';
import { WATCHDOG_INFO_SIZE, WDIOF, ioctl, watchdogRequests } from './ioctl.js';

export const DEFAULT_DEVICE = '/dev/watchdog';

/** What `WDIOC_GETSUPPORT` tells of a device. */
export interface WatchdogInfo {
  readonly options: number;
  readonly firmwareVersion: number;
  readonly identity: string;
}

const REQUESTS = watchdogRequests();

/**
 * Linux's watchdog character device (Documentation/watchdog/watchdog-api.rst): any write pings
 * it, `V` before close disarms it (magic close), the timeout is set with `WDIOC_SETTIMEOUT`.
 * The calls are synchronous on purpose: each is one short system call, and a ping must not
 * wait behind other work in libuv's thread pool.
 */
export class LinuxWatchdogDevice implements WatchdogDevice {
  protected fd: number | null = null;
  private support: WatchdogInfo | null = null;

  constructor(readonly device: string = DEFAULT_DEVICE) {}

  get isOpen(): boolean {
    return this.fd !== null;
  }

  isHealthy(): boolean {
    try {
      accessSync(this.device, constants.W_OK);
      return true;
    } catch {
      return false;
    }
  }

  open(): void {
    try {
      this.fd = openSync(this.device, this.openFlags());
    } catch (err) {
      throw new WatchdogError(`Can't open watchdog device: ${fsErrorText(err)}`);
    }
  }

  protected openFlags(): number {
    return constants.O_WRONLY;
  }

  close(): void {
    const fd = this.fd;
    if (fd === null) return;
    try {
      writeSync(fd, 'V');
      closeSync(fd);
      this.fd = null;
    } catch (err) {
      throw new WatchdogError(`Error while closing ${this.describe()}: ${fsErrorText(err)}`);
    }
  }

  keepalive(): void {
    try {
      this.write('1');
    } catch (err) {
      throw new WatchdogError(`Could not send watchdog keepalive: ${fsErrorText(err)}`);
    }
  }

  /** Writes all of `text` (a FIFO may take it in parts). */
  protected write(text: string): void {
    const fd = this.fd;
    if (fd === null) throw new WatchdogError('Watchdog device is closed');
    const buf = Buffer.from(text, 'utf8');
    let done = 0;
    while (done < buf.length) done += writeSync(fd, buf, done);
  }

  canBeDisabled(): boolean {
    return (this.getSupport().options & WDIOF.MAGICCLOSE) !== 0;
  }

  hasSetTimeout(): boolean {
    return (this.getSupport().options & WDIOF.SETTIMEOUT) !== 0;
  }

  getSupport(): WatchdogInfo {
    if (this.support !== null) return this.support;
    const buf = Buffer.alloc(WATCHDOG_INFO_SIZE);
    try {
      ioctl(this.openFd(), REQUESTS.getSupport, buf);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new WatchdogError(`Could not get information about watchdog device: ${why}`);
    }
    // The struct is in the machine's byte order.
    const le = endianness() === 'LE';
    this.support = {
      options: le ? buf.readUInt32LE(0) : buf.readUInt32BE(0),
      firmwareVersion: le ? buf.readUInt32LE(4) : buf.readUInt32BE(4),
      identity: buf.subarray(8).toString('utf8').replace(/\0.*$/s, ''),
    };
    return this.support;
  }

  setTimeout(seconds: number): void {
    const timeout = Math.trunc(seconds);
    if (!(timeout > 0 && timeout < 0xffff)) {
      throw new WatchdogError(
        `Invalid timeout ${timeout}. Supported values are between 1 and 65535`,
      );
    }
    const buf = Buffer.alloc(4);
    if (endianness() === 'LE') buf.writeInt32LE(timeout, 0);
    else buf.writeInt32BE(timeout, 0);
    try {
      ioctl(this.openFd(), REQUESTS.setTimeout, buf);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new WatchdogError(`Could not set timeout on watchdog device: ${why}`);
    }
  }

  getTimeout(): number {
    const buf = Buffer.alloc(4);
    try {
      ioctl(this.openFd(), REQUESTS.getTimeout, buf);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new WatchdogError(`Could not get timeout on watchdog device: ${why}`);
    }
    return endianness() === 'LE' ? buf.readInt32LE(0) : buf.readInt32BE(0);
  }

  describe(): string {
    const where = this.device === DEFAULT_DEVICE ? '' : ` at ${this.device}`;
    let identity = 'Linux watchdog device';
    let version = '';
    if (this.fd !== null) {
      try {
        const info = this.getSupport();
        identity = info.identity;
        if (info.firmwareVersion !== 0) version = ` (firmware ${info.firmwareVersion})`;
      } catch {
        // The generic name will do for a log line.
      }
    }
    return identity + version + where;
  }

  private openFd(): number {
    if (this.fd === null) throw new WatchdogError('Watchdog device is closed');
    return this.fd;
  }
}
