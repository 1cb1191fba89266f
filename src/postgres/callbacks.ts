import type { CallbackAction, PostgresOptions } from '../core/pg/options.js';
import { shlexSplit } from '../core/pg/shlex.js';
import type { CommandRunner, RunAs, RunningProcess } from '../process/runner.js';
import { describeExit } from '../process/runner.js';
import { errorMessage } from '../shared/errors.js';
import type { Logger } from '../shared/log/logger.js';

/** Role strings as callbacks receive them in 3.0.x: `promoted` and `primary` are `master`. */
export type CallbackRole = 'master' | 'replica' | 'standby_leader' | 'demoted' | 'uninitialized';

/**
 * Patroni's callback executors (spec/core.md §18): `<cmd> <action> <role> <scope>`, never through a
 * shell, never awaited by the caller. A new on_start/on_stop/on_restart/on_role_change kills a
 * still-running previous one (and its children); on_reload has its own slot.
 */
export class CallbackRunner {
  private main: RunningProcess | null = null;
  private reload: RunningProcess | null = null;

  constructor(
    private readonly current: () => Pick<PostgresOptions, 'callbacks' | 'scope' | 'owner'>,
    private readonly runner: CommandRunner,
    private readonly logger: Logger,
    /** The daemon's working directory: relative callback paths resolve there, as in Patroni. */
    private readonly workDir: string = process.cwd(),
  ) {}

  /** Fire and forget; returns at once. Failures are logged and survived. */
  call(action: CallbackAction, role: CallbackRole): void {
    const options = this.current();
    const command = options.callbacks?.[action];
    if (command === undefined || command === '') return;
    const argv = shlexSplit(command);
    if (argv === null || argv.length === 0) {
      this.logger.error(`can not parse ${action} callback command: ${command}`);
      return;
    }
    const [program, ...args] = argv as [string, ...string[]];
    const owner = options.owner ?? null;
    const user = owner === null ? null : { uid: owner.uid, gid: owner.gid };
    void this.launch(action, program, [...args, action, role, options.scope], user);
  }

  private async launch(
    action: CallbackAction,
    program: string,
    args: string[],
    user: RunAs | null,
  ): Promise<void> {
    const isReload = action === 'on_reload';
    const previous = isReload ? this.reload : this.main;
    if (previous !== null) {
      this.logger.warning(`killing previous callback (pid ${previous.pid}) to run ${action}`);
      previous.kill('SIGKILL');
    }
    try {
      const proc = await this.runner.start({
        command: program,
        args,
        detached: true,
        // As the PostgreSQL account, like every program we run for it (scripts call psql).
        user,
        cwd: this.workDir,
        logger: this.logger,
        logLevel: 'info',
        logPrefix: `${action}: `,
      });
      if (isReload) this.reload = proc;
      else this.main = proc;
      const result = await proc.result;
      if (isReload && this.reload === proc) this.reload = null;
      if (!isReload && this.main === proc) this.main = null;
      if (result.exitCode !== 0 && result.signal !== 'SIGKILL') {
        this.logger.warning(`callback ${action} ${describeExit(result)}`);
      }
    } catch (err) {
      this.logger.error(`callback ${action} failed: ${errorMessage(err)}`);
    }
  }
}
