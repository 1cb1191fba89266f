import { getSystemErrorMap } from 'node:util';
import { PatroniError } from '../shared/errors.js';

/** A watchdog device could not be opened, configured, pinged or closed. */
export class WatchdogError extends PatroniError {
  constructor(message: string) {
    super('WATCHDOG_FAILED', message);
    this.name = 'WatchdogError';
  }
}

/**
 * One watchdog device (Patroni's `WatchdogBase`). Once opened, `keepalive` must be called within
 * the timeout or the machine is reset; `close` disarms it where the device allows (magic close).
 * Every method but `isHealthy` and `describe` throws WatchdogError on failure.
 */
export interface WatchdogDevice {
  /** Open and armed. */
  readonly isOpen: boolean;
  /** Opening is not known to fail (the device exists and is writable). */
  isHealthy(): boolean;
  open(): void;
  /** Disarm (magic close) and close; a no-op when not open. */
  close(): void;
  keepalive(): void;
  /** Closing disarms it; some devices keep running once opened. Needs an open device. */
  canBeDisabled(): boolean;
  hasSetTimeout(): boolean;
  /** Seconds. */
  setTimeout(seconds: number): void;
  getTimeout(): number;
  /** For log lines: `Software Watchdog at /dev/watchdog1`. */
  describe(): string;
}

/**
 * An OS error as Python words it (`[Errno 2] No such file or directory: '/dev/watchdog'`), so
 * our log lines read as Patroni's. `errno` is positive (as C's) or negative (as Node's).
 */
export function osErrorText(errno: number, path?: string): string {
  const entry = getSystemErrorMap().get(-Math.abs(errno));
  const text = entry === undefined ? 'Unknown error' : entry[1];
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  const where = path === undefined ? '' : `: '${path}'`;
  return `[Errno ${Math.abs(errno)}] ${sentence}${where}`;
}

/** A thrown Node fs error in Python's words; anything else by its message. */
export function fsErrorText(err: unknown): string {
  if (err instanceof Error && 'errno' in err && typeof err.errno === 'number') {
    const path = 'path' in err && typeof err.path === 'string' ? err.path : undefined;
    return osErrorText(err.errno, path);
  }
  return err instanceof Error ? err.message : String(err);
}
