import type { Command } from 'commander';
import type { CtlContext } from '../context.js';
import { editConfigCommand } from '../commands/edit-config.js';
import { removeCommand } from '../commands/remove.js';
import { bool, collect, list, noCitus, str, type Opts } from './options.js';

/** edit-config, remove. */
export function registerConfigCommands(program: Command, ctx: () => Promise<CtlContext>): void {
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
      await editConfigCommand(await ctx(), {
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
      await removeCommand(await ctx(), name, str(o['format']) ?? 'pretty');
    });
}
