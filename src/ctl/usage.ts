import type { CommanderError } from 'commander';

const TOP_USAGE =
  "Usage: patronictl [OPTIONS] COMMAND [ARGS]...\nTry 'patronictl --help' for help.\n\n";

/**
 * click's wording for usage errors (exit code 2), translated from commander's error codes, e.g.
 * `Error: No such command 'bogus'.` and `Error: No such option: --master`.
 */
export function usageMessage(error: CommanderError): string {
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
