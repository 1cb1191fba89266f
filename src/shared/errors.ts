/**
 * The one error type every layer throws. A stable `code` lets callers branch without parsing
 * messages; `recoverable` tells retry loops whether trying again can help. Library errors (etcd3
 * gRPC errors, pg SQLSTATEs, spawn errors) are translated into this once, at the adapter edge.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_NOT_FOUND'
  | 'CONFIG_SYNTAX'
  | 'DCS_UNREACHABLE'
  | 'DCS_REFUSED'
  | 'PG_BIN_MISSING'
  | 'PG_DATA_DIR'
  | 'PG_START_FAILED'
  | 'PG_STOP_FAILED'
  | 'PG_QUERY_FAILED'
  | 'PROCESS_FAILED'
  | 'PROCESS_TIMEOUT'
  | 'REST_BAD_REQUEST'
  | 'REST_UNREACHABLE'
  | 'CTL_USAGE'
  | 'CTL_ABORTED'
  | 'CTL_FAILED'
  | 'NOT_FOUND'
  | 'WATCHDOG_FAILED'
  | 'INTERNAL';

export interface PatroniErrorOptions {
  readonly recoverable?: boolean;
  readonly cause?: unknown;
  /** Extra fields safe to log (never secrets). */
  readonly details?: Readonly<Record<string, unknown>>;
}

export class PatroniError extends Error {
  readonly code: ErrorCode;
  readonly recoverable: boolean;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: PatroniErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PatroniError';
    this.code = code;
    this.recoverable = options.recoverable ?? false;
    this.details = options.details ?? {};
  }
}

export function isPatroniError(value: unknown, code?: ErrorCode): value is PatroniError {
  return value instanceof PatroniError && (code === undefined || value.code === code);
}

/** Message of any thrown value, for log lines; never a stack. */
export function errorMessage(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** For exhaustive switches: the compiler proves this is unreachable. */
export function assertNever(value: never, what = 'value'): never {
  throw new PatroniError('INTERNAL', `unexpected ${what}: ${JSON.stringify(value)}`);
}
