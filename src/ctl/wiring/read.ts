import type { Command } from 'commander';
import { PatroniError } from '../../shared/errors.js';
import type { CtlContext, RoleChoice } from '../context.js';
import { dsnCommand, versionCommand } from '../commands/info.js';
import { journalCommand, whyCommand } from '../commands/journal.js';
import { queryCommand } from '../commands/query.js';
import { historyCommand, listCommand, showConfigCommand } from '../commands/show.js';
import { bool, noCitus, roleOption, str, watchSeconds, type Opts } from './options.js';

/** list, topology, history, show-config, dsn, version, query; journal and why (ours). */
export function registerReadCommands(program: Command, ctx: () => Promise<CtlContext>): void {
  registerJournalCommands(program, ctx);
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
        .option('--lease', "Show the leader's remaining lease in seconds (patroni-ts)")
        .option('-f, --format <fmt>', 'Output format (pretty, tsv, json, yaml)', 'pretty');
    }
    cmd
      .option('-W', 'Auto update the screen every 2 seconds')
      .option('-w, --watch <seconds>', 'Auto update the screen every X seconds')
      .action(async (names: string[], o: Opts) => {
        noCitus(o);
        await listCommand(await ctx(), {
          clusterNames: names,
          extended: bool(o['extended']),
          timestamp: bool(o['timestamp']),
          lease: bool(o['lease']),
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
      await historyCommand(await ctx(), name, str(o['format']) ?? 'pretty');
    });
  program
    .command('show-config')
    .description('Show cluster configuration')
    .argument('[cluster_name]')
    .option('--group <group>', 'Citus group')
    .action(async (name: string | undefined, o: Opts) => {
      noCitus(o);
      await showConfigCommand(await ctx(), name);
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
        await ctx(),
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
      await versionCommand(await ctx(), name, members);
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
      await queryCommand(await ctx(), {
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

function fmtOf(o: Opts): 'pretty' | 'json' {
  const f = str(o['format']) ?? 'pretty';
  if (f !== 'pretty' && f !== 'json') {
    throw new PatroniError(
      'CTL_USAGE',
      `Invalid value for '--format': '${f}' is not one of 'pretty', 'json'.`,
    );
  }
  return f;
}

/** patroni-ts extensions: the decision journal and the what-if of a leader loss. */
function registerJournalCommands(program: Command, ctx: () => Promise<CtlContext>): void {
  program
    .command('journal')
    .description("Show a member's HA decisions and what decided them (the leader's by default)")
    .argument('[member]')
    .option('--cluster <name>', 'Cluster name (default: scope from the configuration)')
    .option('--since <seq|time>', 'Only entries changed after a sequence number or ISO time')
    .option('-f, --follow', 'Keep printing new decisions as they are taken')
    .option('-w, --interval <seconds>', 'Seconds between polls with --follow', '2')
    .option('--format <fmt>', 'Output format (pretty, json)', 'pretty')
    .action(async (member: string | undefined, o: Opts) => {
      const interval = Number(str(o['interval']) ?? '2');
      if (!(interval > 0)) {
        throw new PatroniError('CTL_USAGE', "Invalid value for '--interval': must be above 0.");
      }
      await journalCommand(await ctx(), {
        clusterName: str(o['cluster']) ?? undefined,
        member: member ?? null,
        since: str(o['since']),
        follow: bool(o['follow']),
        fmt: fmtOf(o),
        intervalSeconds: interval,
      });
    });
  program
    .command('why')
    .description('What would happen if the leader died now, and who would take over')
    .argument('[cluster_name]')
    .option('--format <fmt>', 'Output format (pretty, json)', 'pretty')
    .action(async (name: string | undefined, o: Opts) => {
      await whyCommand(await ctx(), name, fmtOf(o));
    });
}
