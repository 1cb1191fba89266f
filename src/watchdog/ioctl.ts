import { createRequire } from 'node:module';
import { WatchdogError, osErrorText } from './device.js';

/**
 * Linux's `_IOC` request numbers (linux/ioctl.h). Most architectures share the generic layout;
 * MIPS and PowerPC give the direction three bits and the size thirteen.
 */
interface IocLayout {
  readonly sizeBits: number;
  readonly read: number;
  readonly write: number;
}

const GENERIC: IocLayout = { sizeBits: 14, read: 2, write: 1 };
const MIPS_PPC: IocLayout = { sizeBits: 13, read: 2, write: 4 };

export function iocLayout(arch: string): IocLayout {
  return ['mips', 'mipsel', 'ppc', 'ppc64'].includes(arch) ? MIPS_PPC : GENERIC;
}

/** `_IOC(dir, type, nr, size)` as an unsigned 32-bit number. */
export function ioc(
  layout: IocLayout,
  dir: number,
  type: string,
  nr: number,
  size: number,
): number {
  const typeShift = 8;
  const sizeShift = 16;
  const dirShift = sizeShift + layout.sizeBits;
  return ((dir << dirShift) | (size << sizeShift) | (type.charCodeAt(0) << typeShift) | nr) >>> 0;
}

/** `struct watchdog_info`: u32 options, u32 firmware_version, u8 identity[32]. */
export const WATCHDOG_INFO_SIZE = 40;
const INT_SIZE = 4;

/** The linux/watchdog.h requests we use. */
export function watchdogRequests(arch: string = process.arch): {
  getSupport: number;
  setTimeout: number;
  getTimeout: number;
} {
  const l = iocLayout(arch);
  return {
    getSupport: ioc(l, l.read, 'W', 0, WATCHDOG_INFO_SIZE),
    setTimeout: ioc(l, l.read | l.write, 'W', 6, INT_SIZE),
    getTimeout: ioc(l, l.read, 'W', 7, INT_SIZE),
  };
}

/** `WDIOF_*` option bits of `watchdog_info.options`. */
export const WDIOF = { SETTIMEOUT: 0x0080, MAGICCLOSE: 0x0100 } as const;

type Ioctl = (fd: number, request: number, argp: Buffer) => void;

let cached: Ioctl | null = null;

/**
 * libc's `ioctl(fd, request, argp)` through koffi (Node has no ioctl). koffi is loaded on first
 * use only, so a node without a watchdog device never maps it. Throws WatchdogError with the
 * OS error in Python's words (`[Errno 25] Inappropriate ioctl for device`).
 */
export function ioctl(fd: number, request: number, argp: Buffer): void {
  cached ??= bindIoctl();
  cached(fd, request, argp);
}

function bindIoctl(): Ioctl {
  let koffi: typeof import('koffi');
  let call: ReturnType<ReturnType<typeof import('koffi').load>['func']>;
  try {
    koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
    // The process's own symbols: node links the C library (glibc or musl) already.
    call = koffi.load(null).func('int ioctl(int fd, unsigned long request, ...)');
  } catch (err) {
    throw new WatchdogError(`ioctl is not available: ${String(err)}`);
  }
  return (fd, request, argp) => {
    const rc = call(fd, request, 'void *', argp) as number;
    if (rc === -1) throw new WatchdogError(osErrorText(koffi.errno()));
  };
}
