import { GatewayError } from '../etcd3/errors.js';

/**
 * The server answered a v2 path with a plain 404: it does not serve the v2 API (etcd 3.4 and
 * later only do with `--enable-v2`). Retrying cannot help and v3 is no way out (a v2 peer does
 * not see v3 keys), so the message names the fix. Judged fatal by `classify` (HTTP 4xx), so a
 * call fails at once with DCS_UNREACHABLE and the loop tries again next cycle.
 */
export class V2DisabledError extends GatewayError {
  constructor(origin: string) {
    super(
      `etcd at ${origin} does not serve the v2 API that the etcd: section uses (etcd 3.4 and ` +
        'later disable it by default): start etcd with --enable-v2, or use an etcd3: section',
      undefined,
      404,
    );
    this.name = 'V2DisabledError';
  }
}

/** v2 `errorCode`s the adapter reads as results (etcd's error/error.go). */
export const V2_CODES = {
  keyNotFound: 100,
  compareFailed: 101,
  nodeExist: 105,
  /** The watch's start index is older than the 1000 events etcd keeps. */
  eventIndexCleared: 401,
} as const;
