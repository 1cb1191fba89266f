/** Values of each figure across runs (a figure may get several values per run, e.g. per daemon). */
export class Samples {
  private readonly values = new Map<string, number[]>();
  private readonly failures = new Map<string, string[]>();

  add(figure: string, value: number): void {
    const list = this.values.get(figure) ?? [];
    list.push(value);
    this.values.set(figure, list);
  }

  fail(figure: string, reason: string): void {
    const list = this.failures.get(figure) ?? [];
    list.push(reason);
    this.failures.set(figure, list);
  }

  get(figure: string): readonly number[] {
    return this.values.get(figure) ?? [];
  }

  failuresOf(figure: string): readonly string[] {
    return this.failures.get(figure) ?? [];
  }

  /** Back from what toJSON wrote (a results file). */
  static fromJSON(json: {
    readonly values?: Readonly<Record<string, readonly number[]>>;
    readonly failures?: Readonly<Record<string, readonly string[]>>;
  }): Samples {
    const samples = new Samples();
    for (const [figure, list] of Object.entries(json.values ?? {})) {
      for (const value of list) samples.add(figure, value);
    }
    for (const [figure, list] of Object.entries(json.failures ?? {})) {
      for (const reason of list) samples.fail(figure, reason);
    }
    return samples;
  }

  toJSON(): Record<string, unknown> {
    return {
      values: Object.fromEntries(this.values),
      failures: Object.fromEntries(this.failures),
    };
  }
}

export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

export function spread(values: readonly number[]): Spread | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
  return { min: s[0] ?? 0, median, max: s[s.length - 1] ?? 0 };
}
