import {
  castGrpcError,
  isRecoverableError,
  EtcdLeaseInvalidError,
  GRPCFailedPreconditionError,
  GRPCGenericError,
} from 'etcd3';
import { PatroniError, errorMessage } from '../../shared/errors.js';

/**
 * The one place where etcd3/gRPC errors are judged (spec/core.md §3.3 "Retries"): connection
 * and timeout failures are worth retrying within retry_timeout; a vanished lease is a result
 * the caller handles; anything else fails the call at once.
 */
export type EtcdFailure = 'retry' | 'lease-not-found' | 'fatal';

export function classify(raw: unknown): EtcdFailure {
  if (!(raw instanceof Error)) return 'fatal';
  // Errors of streams (keep-alive) arrive as plain gRPC errors: type them as calls' errors are.
  const error = castGrpcError(raw);
  if (error instanceof EtcdLeaseInvalidError) return 'lease-not-found';
  if (isRecoverableError(error)) return 'retry';
  if (error instanceof GRPCFailedPreconditionError) return 'retry';
  // Untyped gRPC failures (no connection, closed channel) are connectivity problems.
  if (error instanceof GRPCGenericError && error.constructor === GRPCGenericError) return 'retry';
  return 'fatal';
}

export function unreachable(what: string, error: unknown): PatroniError {
  return new PatroniError('DCS_UNREACHABLE', `etcd: ${what} failed: ${errorMessage(error)}`, {
    recoverable: true,
    cause: error,
  });
}
