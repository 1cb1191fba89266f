import { PatroniError } from '../shared/errors.js';
import type { CtlIo } from './ports.js';

/** Lines of a readable stream, handed out one at a time; null once it has ended. */
class LineReader {
  private buffer = '';
  private ended = false;
  private waiters: (() => void)[] = [];

  constructor(private readonly stream: NodeJS.ReadableStream) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      this.buffer += chunk;
      this.wake();
    });
    stream.on('end', () => {
      this.ended = true;
      this.wake();
    });
    stream.pause();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  async line(): Promise<string | null> {
    for (;;) {
      const nl = this.buffer.indexOf('\n');
      if (nl !== -1) {
        const line = this.buffer.slice(0, nl).replace(/\r$/, '');
        this.buffer = this.buffer.slice(nl + 1);
        return line;
      }
      if (this.ended) {
        if (this.buffer === '') return null;
        const rest = this.buffer;
        this.buffer = '';
        return rest;
      }
      this.stream.resume();
      await new Promise<void>((resolve) => this.waiters.push(resolve));
      this.stream.pause();
    }
  }

  async rest(): Promise<string> {
    const parts: string[] = [];
    for (let l = await this.line(); l !== null; l = await this.line()) parts.push(l);
    return parts.length === 0 ? '' : parts.join('\n') + '\n';
  }
}

const aborted = (): PatroniError => new PatroniError('CTL_ABORTED', 'Aborted!');

/** Prompt and confirm over any line source, in click's wording; shared by real and fake I/O. */
export async function clickPrompt(
  write: (s: string) => void,
  readLine: () => Promise<string | null>,
  text: string,
  defaultValue?: string,
): Promise<string> {
  const shown = defaultValue === undefined ? `${text}: ` : `${text} [${defaultValue}]: `;
  for (;;) {
    write(shown);
    const line = await readLine();
    // click writes no newline when input ends: the next output follows the prompt.
    if (line === null) throw aborted();
    if (line !== '') return line;
    if (defaultValue !== undefined) return defaultValue;
  }
}

export async function clickConfirm(
  write: (s: string) => void,
  readLine: () => Promise<string | null>,
  text: string,
): Promise<boolean> {
  for (;;) {
    write(`${text} [y/N]: `);
    const line = await readLine();
    if (line === null) throw aborted();
    const answer = line.trim().toLowerCase();
    if (answer === 'y' || answer === 'yes') return true;
    if (answer === 'n' || answer === 'no' || answer === '') return false;
    write('Error: invalid input\n');
  }
}

/**
 * One line from the terminal without echoing it (the `--password` prompt): raw mode, Enter ends
 * it, Ctrl-C / Ctrl-D abort. The typed text never reaches the screen or any log.
 */
function readHiddenLine(): Promise<string | null> {
  const stdin = process.stdin;
  return new Promise((resolve) => {
    let typed = '';
    const finish = (value: string | null): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stdout.write('\n');
      resolve(value);
    };
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0003' || ch === '\u0004') {
          finish(ch === '\r' || ch === '\n' ? typed : null);
          return;
        }
        typed = ch === '\u007f' ? typed.slice(0, -1) : typed + ch;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

/** The process's terminal. */
export function processIo(): CtlIo {
  let reader: LineReader | null = null;
  const lines = (): LineReader => (reader ??= new LineReader(process.stdin));
  const write = (s: string): void => {
    process.stdout.write(s);
  };
  return {
    out: (text) => {
      write(`${text}\n`);
    },
    err: (text) => {
      process.stderr.write(`${text}\n`);
    },
    prompt: (text, defaultValue, hidden) =>
      hidden === true && process.stdin.isTTY
        ? clickPrompt(write, readHiddenLine, text, defaultValue)
        : clickPrompt(write, () => lines().line(), text, defaultValue),
    confirm: (text) => clickConfirm(write, () => lines().line(), text),
    readAll: () => lines().rest(),
    clear: () => {
      if (process.stdout.isTTY) write('\x1b[2J\x1b[1;1H');
    },
    stdoutIsTty: process.stdout.isTTY,
  };
}
