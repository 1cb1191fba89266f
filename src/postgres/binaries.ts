import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { PgProgram, PostgresOptions } from '../core/pg/options.js';
import { PatroniError } from '../shared/errors.js';

/** The programs Patroni's validator requires (pg_rewind is optional). */
export const REQUIRED_PROGRAMS: readonly PgProgram[] = [
  'pg_ctl',
  'initdb',
  'pg_controldata',
  'pg_basebackup',
  'postgres',
  'pg_isready',
];

/** Resolves `bin_dir` + `bin_name` into program paths, and says clearly which one is missing. */
export class PgBinaries {
  constructor(
    private readonly binDir: string,
    private readonly binName: Readonly<Partial<Record<PgProgram, string>>>,
  ) {}

  static from(options: PostgresOptions): PgBinaries {
    return new PgBinaries(options.binDir, options.binName ?? {});
  }

  /** The path to run (a bare name, looked up in PATH, when bin_dir is empty). */
  path(program: PgProgram): string {
    const name = this.binName[program] ?? program;
    return this.binDir === '' ? name : join(this.binDir, name);
  }

  /** Throws PG_BIN_MISSING naming the first program that is not there or not executable. */
  async validate(programs: readonly PgProgram[] = REQUIRED_PROGRAMS): Promise<void> {
    for (const program of programs) {
      if (!(await this.isExecutable(program))) {
        const where =
          this.binDir === '' ? 'in PATH' : `in bin_dir ${this.binDir} (postgresql.bin_dir)`;
        throw new PatroniError(
          'PG_BIN_MISSING',
          `PostgreSQL program ${this.binName[program] ?? program} not found or not executable ${where}`,
          { details: { program, binDir: this.binDir } },
        );
      }
    }
  }

  async isExecutable(program: PgProgram): Promise<boolean> {
    const name = this.binName[program] ?? program;
    const candidates =
      this.binDir === ''
        ? (process.env['PATH'] ?? '').split(delimiter).map((d) => join(d, name))
        : [join(this.binDir, name)];
    for (const c of candidates) {
      try {
        await access(c, constants.X_OK);
        return true;
      } catch {
        // try the next candidate
      }
    }
    return false;
  }
}
