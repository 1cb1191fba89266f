import { isPatroniError } from '../shared/errors.js';

/** What the process prints on stderr and exits with when a command fails. */
export interface ExitVerdict {
  readonly code: number;
  readonly stderr: string;
}

/**
 * The one place errors become output (patronictl §3.2): usage errors exit 2, everything else 1.
 * An operator sees one clear line, never a stack trace; `Aborted!` is click's own wording for a
 * prompt that got no answer.
 */
export function exitVerdict(error: unknown): ExitVerdict {
  if (isPatroniError(error, 'CTL_ABORTED')) return { code: 1, stderr: 'Aborted!' };
  if (isPatroniError(error, 'CTL_USAGE')) return { code: 2, stderr: `Error: ${error.message}` };
  // patronictl's own messages may span lines on purpose; a library's gets its first line only.
  if (isPatroniError(error, 'CTL_FAILED'))
    return { code: 1, stderr: `Error: ${oneLine(error.message)}` };
  if (error instanceof Error) return { code: 1, stderr: `Error: ${firstLine(error.message)}` };
  return { code: 1, stderr: `Error: ${oneLine(String(error))}` };
}

function firstLine(message: string): string {
  return oneLine(message.trim().split('\n')[0] ?? '').replace(/\.?\s*Resolution note:?$/, '');
}

function oneLine(message: string): string {
  const trimmed = message.trim();
  return trimmed === '' ? 'unexpected failure' : trimmed;
}
