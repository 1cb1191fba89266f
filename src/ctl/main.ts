import { Command, CommanderError, Option } from 'commander';
import { PatroniError } from '../shared/errors.js';
import { loadCtlConfig, type CtlConfig } from './config.js';
import { ROLE_CHOICES, type CtlContext, type RoleChoice } from './context.js';
import { exitVerdict } from './exit.js';
import type { CtlClock, CtlDcs, CtlIo, RestClient, SqlRunner } from './ports.js';
import type { RestSettings } from './config.js';
import { listCommand, historyCommand, showConfigCommand } from './commands/show.js';
import { switchoverCommand } from './commands/switchover.js';
import {
  flushCommand,
  reinitCommand,
  reloadCommand,
  restartCommand,
} from './commands/member-actions.js';
import { togglePauseCommand } from './commands/pause.js';
import { editConfigCommand } from './commands/edit-config.js';
import { removeCommand } from './commands/remove.js';
import { dsnCommand, versionCommand } from './commands/info.js';
import { queryCommand } from './commands/query.js';
import { usageMessage } from './usage.js';

/** What patronictl is run with: the outside world, so tests can drive `runCtl` end to end. */
export interface CtlRuntime {
  readonly io: CtlIo;
  readonly clock: CtlClock;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `~/.config/patroni/patronictl.yaml`. */
  readonly defaultConfigFile: string;
  readonly openDcs: (config: CtlConfig, clusterName: string) => Promise<CtlDcs>;
  readonly restClient: (settings: RestSettings) => RestClient;
  readonly sql?: SqlRunner;
}

interface GlobalOptions {
  configFile?: string;
  dcsUrl?: string;
  dcs?: string;
  insecure?: boolean;
}

type Opts = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const bool = (v: unknown): boolean => v === true;
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const nonEmpty = (v: string | undefined): string | null => (v === undefined || v === '' ? null : v);
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function watchSeconds(o: Opts): number | null {
  const w = str(o['watch']);
  if (w !== null) {
    const n = Number(w);
    if (!Number.isFinite(n))
      throw new PatroniError(
        'CTL_USAGE',
        `Invalid value for '-w' / '--watch': '${w}' is not a valid float.`,
      );
    if (n > 0) return n;
  }
  return bool(o['W']) ? 2 : null;
}

function noCitus(o: Opts): void {
  if (o['group'] !== undefined) {
    throw new PatroniError(
      'CTL_FAILED',
      'Citus clusters (--group) are not supported by this patronictl',
    );
  }
}

/** Builds the command tree; `ctx()` loads the configuration on first use. */
/** `failed` names the subcommand whose arguments commander rejected (click's usage lines). */
function buildProgram(
  rt: CtlRuntime,
  track: (dcs: CtlDcs) => void,
): { program: Command; failed: () => string | null } {
  let failedCommand: string | null = null;
  const program = new Command('patronictl');
  let context: CtlContext | null = null;
  const ctx = (): CtlContext => {
    if (context !== null) return context;
    const g = program.opts<GlobalOptions>();
    const config = loadCtlConfig({
      // click ignores environment variables set to an empty string.
      configFile: g.configFile ?? nonEmpty(rt.env['PATRONICTL_CONFIG_FILE']),
      dcsUrl: g.dcsUrl ?? g.dcs ?? nonEmpty(rt.env['DCS_URL']),
      insecure: g.insecure === true,
      env: rt.env,
      defaultConfigFile: rt.defaultConfigFile,
    });
    const opened = new Map<string, Promise<CtlDcs>>();
    context = {
      config,
      io: rt.io,
      clock: rt.clock,
      rest: rt.restClient(config.rest),
      ...(rt.sql === undefined ? {} : { sql: rt.sql }),
      openDcs: (name) => {
        let p = opened.get(name);
        if (p === undefined) {
          p = rt.openDcs(config, name).then((dcs) => {
            track(dcs);
            return dcs;
          });
          opened.set(name, p);
        }
        return p;
      },
    };
    return context;
  };
  program
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => {
        rt.io.out(s.replace(/\n$/, ''));
      },
      writeErr: () => undefined,
      outputError: () => undefined,
    })
    .option('-c, --config-file <file>', 'Configuration file')
    .option('-d, --dcs-url <url>', 'The DCS connect url')
    .addOption(new Option('--dcs <url>').hideHelp())
    .option('-k, --insecure', 'Allow connections to SSL sites without certs');
  registerReadCommands(program, ctx);
  registerActionCommands(program, ctx);
  registerConfigCommands(program, ctx);
  for (const c of program.commands) {
    c.exitOverride((error) => {
      failedCommand = c.name();
      throw error;
    });
  }
  return { program, failed: () => failedCommand };
}

const roleOption = (dflt: RoleChoice | null, help: string): Option => {
  const o = new Option('-r, --role <role>', help).choices(ROLE_CHOICES);
  return dflt === null ? o : o.default(dflt);
};

function registerReadCommands(program: Command, ctx: () => CtlContext): void {
  for (const name of ['list', 'topology'] as const) {
    const cmd = program
      .command(name)
      .description(
        name === 'list'
          ? 'List the Patroni members for a given Patroni'
          : 'Prints ASCII topology for given cluster',
      )
      .argument('[cluster_names...]')
      .option('--group <group>', 'Citus group');
    if (name === 'list') {
      cmd
        .option('-e, --extended', 'Show some extra information')
        .option('-t, --timestamp', 'Print timestamp')
        .option('-f, --format <fmt>', 'Output format (pretty, tsv, json, yaml)', 'pretty');
    }
    cmd
      .option('-W', 'Auto update the screen every 2 seconds')
      .option('-w, --watch <seconds>', 'Auto update the screen every X seconds')
      .action(async (names: string[], o: Opts) => {
        noCitus(o);
        await listCommand(ctx(), {
          clusterNames: names,
          extended: bool(o['extended']),
          timestamp: bool(o['timestamp']),
          fmt: name === 'topology' ? 'topology' : (str(o['format']) ?? 'pretty'),
          watchSeconds: watchSeconds(o),
        });
      });
  }
  program
    .command('history')
    .description('Show the history of failovers/switchovers')
    .argument('[cluster_name]')
    .option('--group <group>', 'Citus group')
    .option('-f, --format <fmt>', 'Output format (pretty, tsv, json, yaml)', 'pretty')
    .action(async (name: string | undefined, o: Opts) => {
      noCitus(o);
      await historyCommand(ctx(), name, str(o['format']) ?? 'pretty');
    });
  program
    .command('show-config')
    .description('Show cluster configuration')
    .argument('[cluster_name]')
    .option('--group <group>', 'Citus group')
    .action(async (name: string | undefined, o: Opts) => {
      noCitus(o);
      await showConfigCommand(ctx(), name);
    });
  program
    .command('dsn')
    .description('Generate a dsn for the provided member, defaults to a dsn of the leader')
    .argument('[cluster_name]')
    .option('--group <group>', 'Citus group')
    .addOption(roleOption(null, 'Give a dsn of any member with this role'))
    .option('-m, --member <member>', 'Generate a dsn for this member')
    .action(async (name: string | undefined, o: Opts) => {
      noCitus(o);
      await dsnCommand(
        ctx(),
        name,
        (str(o['role']) as RoleChoice | null) ?? null,
        str(o['member']),
      );
    });
  program
    .command('version')
    .description('Output version of patronictl command or a running Patroni instance')
    .argument('[cluster_name]')
    .argument('[member_names...]')
    .option('--group <group>', 'Citus group')
    .action(async (name: string | undefined, members: string[], o: Opts) => {
      noCitus(o);
      await versionCommand(ctx(), name, members);
    });
  program
    .command('query')
    .description('Query a Patroni PostgreSQL member')
    .argument('[cluster_name]')
    .option('--group <group>', 'Citus group')
    .option('--format <fmt>', 'Output format (pretty, tsv, json, yaml)', 'tsv')
    .option('-f, --file <file>', 'Execute the SQL commands from this file')
    .option('--password', 'force password prompt')
    .option('-U, --username <user>', 'database user name')
    .option('-W', 'Auto update the screen every 2 seconds')
    .option('-w, --watch <seconds>', 'Auto update the screen every X seconds')
    .addOption(roleOption(null, 'The role of the query'))
    .option('-m, --member <member>', 'Query a specific member')
    .option('--delimiter <delimiter>', 'The column delimiter', '\t')
    .option('-c, --command <sql>', 'The SQL commands to execute')
    .option('-d, --dbname <dbname>', 'database name to connect to')
    .action(async (name: string | undefined, o: Opts) => {
      noCitus(o);
      await queryCommand(ctx(), {
        clusterName: name,
        role: (str(o['role']) as RoleChoice | null) ?? null,
        member: str(o['member']),
        file: str(o['file']),
        command: str(o['command']),
        username: str(o['username']),
        askPassword: bool(o['password']),
        dbname: str(o['dbname']),
        fmt: str(o['format']) ?? 'tsv',
        delimiter: str(o['delimiter']) ?? '\t',
        watchSeconds: watchSeconds(o),
      });
    });
}

function registerActionCommands(program: Command, ctx: () => CtlContext): void {
  for (const action of ['switchover', 'failover'] as const) {
    const cmd = program
      .command(action)
      .description(action === 'switchover' ? 'Switchover to a replica' : 'Failover to a replica')
      .argument('[cluster_name]')
      .option('--group <group>', 'Citus group')
      .option('--leader <name>', 'The name of the current leader')
      .addOption(new Option('--primary <name>').hideHelp())
      .addOption(new Option('--master <name>').hideHelp())
      .option('--candidate <name>', 'The name of the candidate');
    if (action === 'switchover') {
      cmd.option(
        '--scheduled <ts>',
        'Timestamp of a scheduled switchover in unambiguous format (e.g. ISO 8601)',
      );
    }
    cmd
      .option('--force', 'Do not ask for confirmation at any point')
      .action(async (name: string | undefined, o: Opts) => {
        noCitus(o);
        const leader = str(o['leader']) ?? str(o['primary']) ?? str(o['master']);
        await switchoverCommand(ctx(), {
          // 3.x: a failover that names the leader is a switchover.
          action: action === 'failover' && leader === null ? 'failover' : 'switchover',
          clusterName: name,
          leader,
          candidate: str(o['candidate']),
          scheduled: str(o['scheduled']),
          force: bool(o['force']),
        });
      });
  }
  program
    .command('restart')
    .description('Restart cluster member')
    .argument('<cluster_name>')
    .argument('[member_names...]')
    .option('--group <group>', 'Citus group')
    .addOption(roleOption('any', 'Restart only members with this role'))
    .option('--any', 'Restart a single member only')
    .option(
      '--scheduled <ts>',
      'Timestamp of a scheduled restart in unambiguous format (e.g. ISO 8601)',
    )
    .option(
      '--pg-version <version>',
      'Restart if the PostgreSQL version is less than provided (e.g. 9.5.2)',
    )
    .option('--pending', 'Restart if pending')
    .option(
      '--timeout <timeout>',
      'Return error and fail over if necessary when restarting takes longer than this.',
    )
    .option('--force', 'Do not ask for confirmation at any point')
    .action(async (name: string, members: string[], o: Opts) => {
      noCitus(o);
      await restartCommand(ctx(), {
        clusterName: name,
        memberNames: members,
        role: (str(o['role']) ?? 'any') as RoleChoice,
        force: bool(o['force']),
        any: bool(o['any']),
        scheduled: str(o['scheduled']),
        pgVersion: str(o['pgVersion']),
        pending: bool(o['pending']),
        timeout: str(o['timeout']),
      });
    });
  program
    .command('reload')
    .description('Reload cluster member configuration')
    .argument('<cluster_name>')
    .argument('[member_names...]')
    .option('--group <group>', 'Citus group')
    .addOption(roleOption('any', 'Reload only members with this role'))
    .option('--force', 'Do not ask for confirmation at any point')
    .action(async (name: string, members: string[], o: Opts) => {
      noCitus(o);
      const role = (str(o['role']) ?? 'any') as RoleChoice;
      await reloadCommand(ctx(), {
        clusterName: name,
        memberNames: members,
        role,
        force: bool(o['force']),
      });
    });
  program
    .command('reinit')
    .description('Reinitialize cluster member')
    .argument('<cluster_name>')
    .argument('[member_names...]')
    .option('--group <group>', 'Citus group')
    .option('--force', 'Do not ask for confirmation at any point')
    .option('--wait', 'Wait until reinitialization completes')
    .action(async (name: string, members: string[], o: Opts) => {
      noCitus(o);
      await reinitCommand(ctx(), {
        clusterName: name,
        memberNames: members,
        force: bool(o['force']),
        wait: bool(o['wait']),
      });
    });
  program
    .command('flush')
    .description('Discard scheduled events')
    .argument('<cluster_name>')
    .argument('<member_names_and_target...>', '[MEMBER_NAMES]... {restart|switchover}')
    .option('--group <group>', 'Citus group')
    .addOption(roleOption('any', 'Flush only members with this role'))
    .option('--force', 'Do not ask for confirmation at any point')
    .action(async (name: string, rest: string[], o: Opts) => {
      noCitus(o);
      const target = rest[rest.length - 1];
      if (target !== 'restart' && target !== 'switchover') {
        throw new PatroniError(
          'CTL_USAGE',
          `Invalid value for '{restart|switchover}': '${target ?? ''}' is not one of 'restart', 'switchover'.`,
        );
      }
      const role = (str(o['role']) ?? 'any') as RoleChoice;
      await flushCommand(ctx(), {
        clusterName: name,
        memberNames: rest.slice(0, -1),
        role,
        force: bool(o['force']),
        target,
      });
    });
  for (const verb of ['pause', 'resume'] as const) {
    program
      .command(verb)
      .description(verb === 'pause' ? 'Disable auto failover' : 'Resume auto failover')
      .argument('[cluster_name]')
      .option('--group <group>', 'Citus group')
      .option(
        '--wait',
        `Wait until ${verb === 'pause' ? 'pause is applied' : 'pause is cleared'} on all nodes`,
      )
      .action(async (name: string | undefined, o: Opts) => {
        noCitus(o);
        await togglePauseCommand(ctx(), {
          clusterName: name,
          paused: verb === 'pause',
          wait: bool(o['wait']),
        });
      });
  }
}

function registerConfigCommands(program: Command, ctx: () => CtlContext): void {
  program
    .command('edit-config')
    .description('Edit cluster configuration')
    .argument('[cluster_name]')
    .option('--group <group>', 'Citus group')
    .option('-q, --quiet', 'Do not show changes')
    .option(
      '-s, --set <kv>',
      'Set specific configuration value. Can be specified multiple times',
      collect,
    )
    .option(
      '-p, --pg <kv>',
      'Set specific PostgreSQL parameter value. Shorthand for -s postgresql.parameters. Can be specified multiple times',
      collect,
    )
    .option('--apply <file>', 'Apply configuration from file. Use - for stdin.')
    .option(
      '--replace <file>',
      'Apply configuration from file, replacing existing configuration. Use - for stdin.',
    )
    .option('--force', 'Do not ask for confirmation at any point')
    .action(async (name: string | undefined, o: Opts) => {
      noCitus(o);
      await editConfigCommand(ctx(), {
        clusterName: name,
        force: bool(o['force']),
        quiet: bool(o['quiet']),
        set: list(o['set']),
        pg: list(o['pg']),
        apply: str(o['apply']),
        replace: str(o['replace']),
      });
    });
  program
    .command('remove')
    .description('Remove cluster from DCS')
    .argument('<cluster_name>')
    .option('--group <group>', 'Citus group')
    .option('-f, --format <fmt>', 'Output format (pretty, tsv, json, yaml)', 'pretty')
    .action(async (name: string, o: Opts) => {
      noCitus(o);
      await removeCommand(ctx(), name, str(o['format']) ?? 'pretty');
    });
}

/** Runs patronictl with `argv` (without `node` and the script) and returns the exit code. */
export async function runCtl(argv: readonly string[], rt: CtlRuntime): Promise<number> {
  const clients: CtlDcs[] = [];
  const { program, failed } = buildProgram(rt, (dcs) => clients.push(dcs));
  try {
    if (argv.length === 0) {
      rt.io.out(program.helpInformation().replace(/\n$/, ''));
      return 0;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0;
      rt.io.err(usageMessage(error, failed()));
      return 2;
    }
    const verdict = exitVerdict(error);
    rt.io.err(verdict.stderr);
    return verdict.code;
  } finally {
    await Promise.allSettled(clients.map((c) => c.close()));
  }
}
