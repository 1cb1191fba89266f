import { clickConfirm, clickPrompt } from '../io.js';
import type { CtlIo } from '../ports.js';

/** Terminal double: answers prompts from a script and records everything printed. */
export class FakeIo implements CtlIo {
  stdout = '';
  stderr = '';
  readonly stdoutIsTty = false;
  private readonly answers: string[];
  constructor(
    answers: readonly string[] = [],
    private readonly stdinText = '',
  ) {
    this.answers = [...answers];
  }
  private readonly write = (s: string): void => {
    this.stdout += s;
  };
  private readonly next = (): Promise<string | null> =>
    Promise.resolve(this.answers.shift() ?? null);
  out(text: string): void {
    this.stdout += `${text}\n`;
  }
  err(text: string): void {
    this.stderr += `${text}\n`;
  }
  prompt(text: string, defaultValue?: string): Promise<string> {
    return clickPrompt(this.write, this.next, text, defaultValue);
  }
  confirm(text: string): Promise<boolean> {
    return clickConfirm(this.write, this.next, text);
  }
  readAll(): Promise<string> {
    return Promise.resolve(this.stdinText);
  }
  clear(): void {
    this.stdout += '<clear>';
  }
}
