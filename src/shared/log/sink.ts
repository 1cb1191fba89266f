/**
 * Where log lines go: stderr by default, or `<log.dir>/patroni.log` rotated like Python's
 * RotatingFileHandler (`patroni.log.1` ... `patroni.log.<file_num>`, rotate before a write that
 * would pass `file_size`). Writes are synchronous on purpose: a daemon's last lines before a
 * crash are the ones an operator needs, volume is about one line per HA loop, and ordering across
 * rotation stays trivial.
 */
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

export interface LogSink {
  write(line: string): void;
  close(): void;
}

export function streamSink(write: (text: string) => unknown): LogSink {
  return { write: (line) => void write(`${line}\n`), close: () => undefined };
}

export const stderrSink: LogSink = streamSink((text) => process.stderr.write(text));

export interface FileSinkOptions {
  readonly dir: string;
  /** Bytes; Patroni's default 25000000. */
  readonly fileSize?: number | undefined;
  /** Rotated files kept; Patroni's default 4. */
  readonly fileNum?: number | undefined;
  /** File mode of new log files (log.mode); default 0o600 because lines may name hosts/users. */
  readonly mode?: number | undefined;
}

export class RotatingFileSink implements LogSink {
  private fd: number | null = null;
  private size = 0;
  private readonly path: string;
  private readonly maxBytes: number;
  private readonly backups: number;
  private readonly mode: number;

  constructor(options: FileSinkOptions) {
    mkdirSync(options.dir, { recursive: true });
    this.path = join(options.dir, 'patroni.log');
    this.maxBytes = options.fileSize ?? 25_000_000;
    this.backups = options.fileNum ?? 4;
    this.mode = options.mode ?? 0o600;
  }

  write(line: string): void {
    const data = Buffer.from(`${line}\n`, 'utf8');
    const fd = this.open();
    if (this.maxBytes > 0 && this.size > 0 && this.size + data.length > this.maxBytes) {
      this.rotate();
      this.write(line);
      return;
    }
    writeSync(fd, data);
    this.size += data.length;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private open(): number {
    if (this.fd === null) {
      this.fd = openSync(this.path, 'a', this.mode);
      this.size = fstatSync(this.fd).size;
    }
    return this.fd;
  }

  private rotate(): void {
    this.close();
    if (this.backups > 0) {
      const name = (i: number): string => (i === 0 ? this.path : `${this.path}.${i}`);
      rmSync(name(this.backups), { force: true });
      for (let i = this.backups - 1; i >= 0; i--) {
        if (existsSync(name(i))) renameSync(name(i), name(i + 1));
      }
    } else {
      rmSync(this.path, { force: true });
    }
    this.size = 0;
  }
}
