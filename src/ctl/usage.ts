import type { CommanderError } from 'commander';

const TOP_USAGE =
  "Usage: patronictl [OPTIONS] COMMAND [ARGS]...\nTry 'patronictl --help' for help.\n\n";

/** click's usage line arguments per command. */
const ARGS: Readonly<Record<string, string>> = {
  list: '[CLUSTER_NAMES]...',
  topology: '[CLUSTER_NAMES]...',
  restart: 'CLUSTER_NAME [MEMBER_NAMES]...',
  reload: 'CLUSTER_NAME [MEMBER_NAMES]...',
  reinit: 'CLUSTER_NAME [MEMBER_NAMES]...',
  flush: 'CLUSTER_NAME [MEMBER_NAMES]... {restart|switchover}',
  remove: 'CLUSTER_NAME',
  version: '[CLUSTER_NAME] [MEMBER_NAMES]...',
};

/** The two usage lines click prints above a subcommand's usage error. */
export function commandUsage(command: string): string {
  const args = ARGS[command] ?? '[CLUSTER_NAME]';
  return `Usage: patronictl ${command} [OPTIONS] ${args}\nTry 'patronictl ${command} --help' for help.\n\n`;
}

/**
 * click's wording for usage errors (exit code 2), translated from commander's error codes, e.g.
 * `Error: No such command 'bogus'.` and `Error: No such option: --master`.
 */
export function usageMessage(error: CommanderError, command: string | null): string {
  const text = usageText(error);
  return command === null || error.code === 'commander.unknownCommand'
    ? text
    : commandUsage(command) + text;
}

function usageText(error: CommanderError): string {
  const quoted = /'([^']*)'/.exec(error.message)?.[1] ?? '';
  switch (error.code) {
    case 'commander.unknownCommand':
      return `${TOP_USAGE}Error: No such command '${quoted}'.`;
    case 'commander.unknownOption':
      return `Error: No such option: ${quoted}`;
    case 'commander.missingArgument':
      return `Error: Missing argument '${quoted.toUpperCase()}'.`;
    case 'commander.optionMissingArgument':
      return `Error: Option '${quoted.split(/[ ,]/)[0] ?? quoted}' requires an argument.`;
    case 'commander.excessArguments':
      return `Error: Got unexpected extra argument`;
    case 'commander.invalidArgument':
      return `Error: ${error.message.replace(/^error: /, '')}`;
    default:
      return `Error: ${error.message.replace(/^error: /, '')}`;
  }
}
