import { Option, type Command } from 'commander';
import { PatroniError } from '../../shared/errors.js';
import type { CtlContext, RoleChoice } from '../context.js';
import {
  flushCommand,
  reinitCommand,
  reloadCommand,
  restartCommand,
} from '../commands/member-actions.js';
import { togglePauseCommand } from '../commands/pause.js';
import { switchoverCommand } from '../commands/switchover.js';
import { bool, noCitus, roleOption, str, type Opts } from './options.js';

/** switchover, failover, restart, reload, reinit, flush, pause, resume. */
export function registerActionCommands(program: Command, ctx: () => Promise<CtlContext>): void {
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
        await switchoverCommand(await ctx(), {
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
      await restartCommand(await ctx(), {
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
      await reloadCommand(await ctx(), {
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
      await reinitCommand(await ctx(), {
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
      await flushCommand(await ctx(), {
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
        await togglePauseCommand(await ctx(), {
          clusterName: name,
          paused: verb === 'pause',
          wait: bool(o['wait']),
        });
      });
  }
}
