/** Splits a stream of text chunks into lines, so program output is logged line by line. */
export class LineSplitter {
  private buffer = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    this.buffer += chunk;
    let i = this.buffer.indexOf('\n');
    while (i >= 0) {
      this.onLine(this.buffer.slice(0, i).replace(/\r$/, ''));
      this.buffer = this.buffer.slice(i + 1);
      i = this.buffer.indexOf('\n');
    }
  }

  flush(): void {
    if (this.buffer !== '') this.onLine(this.buffer);
    this.buffer = '';
  }
}

/** Keeps the last lines of output (bounded), enough to explain a failure. */
export class OutputTail {
  private readonly lines: string[] = [];
  private size = 0;

  constructor(private readonly maxChars = 16_384) {}

  push(line: string): void {
    this.lines.push(line);
    this.size += line.length + 1;
    while (this.size > this.maxChars && this.lines.length > 1) {
      this.size -= (this.lines.shift() ?? '').length + 1;
    }
  }

  text(): string {
    return this.lines.join('\n');
  }
}
