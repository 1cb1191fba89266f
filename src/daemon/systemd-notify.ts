/**
 * systemd's notify protocol (sd_notify(3)) for `Type=notify` units: READY=1 once the REST API
 * answers and the first HA cycle ran, STATUS= with the cycle's sentence, WATCHDOG=1 from the HA
 * loop when the unit sets WatchdogSec, STOPPING=1 on shutdown. Without NOTIFY_SOCKET (not run by
 * systemd, or Type=simple) nothing is sent and nothing is loaded.
 */
import { createRequire } from 'node:module';
import { errorMessage } from '../shared/errors.js';

/** Where the datagrams go; a seam so tests and other transports can stand in. */
export interface NotifyTransport {
  send(message: string): void;
  close(): void;
}

interface Logger {
  warning(message: string): void;
}

/** The part of unix-dgram we use; it is CommonJS and optional (a native addon). */
interface UnixDgramSocket {
  on(event: 'error', listener: (err: Error) => void): void;
  send(buf: Buffer, offset: number, length: number, path: string, callback?: () => void): void;
  close(): void;
}
interface UnixDgramModule {
  createSocket(type: 'unix_dgram'): UnixDgramSocket;
}

/**
 * A datagram socket to a filesystem path. Node has no AF_UNIX/SOCK_DGRAM of its own, hence the
 * unix-dgram addon; it is an optional dependency, so a machine where it did not build still runs
 * the daemon, and says once why systemd hears nothing.
 */
function unixDatagramTransport(path: string, log: Logger): NotifyTransport | null {
  let mod: UnixDgramModule;
  try {
    mod = createRequire(import.meta.url)('unix-dgram') as UnixDgramModule;
  } catch (err) {
    log.warning(
      `NOTIFY_SOCKET is set but the unix-dgram module could not be loaded (${errorMessage(err)}); systemd will not be notified`,
    );
    return null;
  }
  const socket = mod.createSocket('unix_dgram');
  let warned = false;
  socket.on('error', (err) => {
    // systemd gone or restarted: say it once; the daemon's work does not depend on it.
    if (!warned) log.warning(`systemd notification to ${path} failed: ${errorMessage(err)}`);
    warned = true;
  });
  return {
    send(message) {
      const buf = Buffer.from(message);
      socket.send(buf, 0, buf.length, path);
    },
    close() {
      socket.close();
    },
  };
}

export interface NotifyEnv {
  readonly NOTIFY_SOCKET?: string | undefined;
  readonly WATCHDOG_USEC?: string | undefined;
  readonly WATCHDOG_PID?: string | undefined;
}

/** The watchdog interval systemd asked for, in ms, or null when it asked for none (or not of us). */
export function watchdogIntervalMs(env: NotifyEnv, pid: number): number | null {
  const usec = Number(env.WATCHDOG_USEC);
  if (!Number.isFinite(usec) || usec <= 0) return null;
  if (env.WATCHDOG_PID !== undefined && env.WATCHDOG_PID !== '' && Number(env.WATCHDOG_PID) !== pid)
    return null;
  return usec / 1000;
}

export class SystemdNotifier {
  private readySent = false;
  private lastStatus = '';

  constructor(
    private readonly transport: NotifyTransport,
    /** Whether the unit has WatchdogSec: then every finished cycle pings. */
    private readonly watchdog: boolean,
  ) {}

  /** A notifier when systemd asked for one (NOTIFY_SOCKET), else null. */
  static fromEnv(env: NotifyEnv, log: Logger, pid = process.pid): SystemdNotifier | null {
    const socket = env.NOTIFY_SOCKET;
    if (socket === undefined || socket === '') return null;
    if (socket.startsWith('@')) {
      log.warning(
        `NOTIFY_SOCKET ${socket} is in the abstract namespace, which is not supported; systemd will not be notified`,
      );
      return null;
    }
    const transport = unixDatagramTransport(socket, log);
    if (transport === null) return null;
    return new SystemdNotifier(transport, watchdogIntervalMs(env, pid) !== null);
  }

  /**
   * After each HA cycle: the first one makes the unit active (the REST API already answers, so
   * HAProxy's checks and patronictl work from that moment); each one feeds systemd's watchdog,
   * so a loop that hangs gets the service restarted; the status line is the cycle's sentence.
   */
  cycleDone(info: string): void {
    const lines: string[] = [];
    if (!this.readySent) lines.push('READY=1');
    if (this.watchdog) lines.push('WATCHDOG=1');
    if (info !== this.lastStatus) lines.push(`STATUS=${info.replace(/\n/g, ' ')}`);
    this.readySent = true;
    this.lastStatus = info;
    if (lines.length > 0) this.transport.send(lines.join('\n'));
  }

  stopping(): void {
    this.transport.send('STOPPING=1\nSTATUS=shutting down');
  }

  close(): void {
    this.transport.close();
  }
}
