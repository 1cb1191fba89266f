import type { Logger } from '../../shared/log/logger.js';
import { errorMessage } from '../../shared/errors.js';
import type { KvEvent } from '../kv/backend.js';
import { GatewayError, TransportError, isAuthTokenError } from './errors.js';
import type { GatewayClient } from './gateway-client.js';
import { JsonLines } from './json-lines.js';
import { streamVerdict, type StoreAnswers } from './stream-liveness.js';
import {
  b64,
  leaseOf,
  prefixEnd,
  revisionOf,
  unb64,
  type StreamMessage,
  type WatchResponse,
  type WireKv,
} from './wire.js';

/** Pause before re-opening a broken watch stream (Patroni's watcher waits about as long). */
export const WATCH_RETRY_MS = 500;

const LOST: KvEvent = { type: 'lost', key: '', value: null, revision: 0 };

/** What to watch, where, and who hears of it. */
export interface WatchSpec {
  /** The endpoint to (re)connect to, asked at each (re)connection. */
  readonly endpoint: () => GatewayClient;
  /** etcd's latest answers to other calls, which can vouch for a silent stream. */
  readonly answers: StoreAnswers;
  readonly prefix: string;
  readonly fromRevision: number;
  readonly onEvent: (e: KvEvent) => void;
  readonly signal: AbortSignal;
  readonly logger: Logger;
}

/**
 * Watches every key under a prefix from a revision until `signal` aborts. Resolves once etcd
 * confirmed the watch (or cancelled it: then a `lost` event was delivered). A broken stream is
 * re-opened after a short pause from the revision after the last event seen, so no event is
 * lost and none is delivered twice.
 */
export function watchPrefix(spec: WatchSpec): Promise<void> {
  const { signal } = spec;
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((established) => {
    signal.addEventListener(
      'abort',
      () => {
        established();
      },
      { once: true },
    );
    void follow(spec, established).finally(established);
  });
}

async function follow(spec: WatchSpec, established: () => void): Promise<void> {
  const { endpoint, prefix, fromRevision, onEvent, signal, logger } = spec;
  let next = fromRevision;
  const deliver = (event: KvEvent): void => {
    next = Math.max(next, event.revision + 1);
    onEvent(event);
  };
  while (!signal.aborted) {
    const client = endpoint();
    try {
      if ((await watchOnce(spec, client, next, deliver, established)) === 'canceled') {
        // etcd cancelled the watch (compacted start revision, permissions): changes may have
        // been missed, so the watcher is told to re-read.
        onEvent(LOST);
        return;
      }
      logger.debug(`etcd: watch of ${prefix} on ${client.origin} ended, resuming from ${next}`);
    } catch (error) {
      if (isAuthTokenError(error)) client.dropToken();
      logger.debug(`etcd: watch of ${prefix} on ${client.origin} failed: ${errorMessage(error)}`);
    }
    await pause(WATCH_RETRY_MS, signal);
  }
}

/**
 * One watch stream, read until it breaks ('broken') or etcd cancels it ('canceled'). Every
 * `streamIdleMs` a silent stream is checked (`streamVerdict`): probed with a progress request,
 * which etcd answers at once, and broken when the probe goes unanswered too (etcd hung, or the
 * network cut).
 */
async function watchOnce(
  { answers, prefix, signal }: WatchSpec,
  client: GatewayClient,
  fromRevision: number,
  deliver: (e: KvEvent) => void,
  established: () => void,
): Promise<'broken' | 'canceled'> {
  const request = {
    create_request: {
      key: b64(prefix),
      range_end: prefixEnd(prefix),
      start_revision: String(fromRevision),
    },
  };
  const { response, send } = await client.openStream('/watch', request, signal);
  let lastMessageAt = performance.now();
  let deliveredUpTo = fromRevision - 1;
  let probed = false;
  const liveness = setInterval(() => {
    const verdict = streamVerdict({
      now: performance.now(),
      lastMessageAt,
      deliveredUpTo,
      probed,
      answers,
      idleMs: client.streamIdleMs,
    });
    if (verdict === 'fine') {
      probed = false;
    } else if (verdict === 'probe' && send !== null) {
      probed = true;
      send({ progress_request: {} });
    } else if (verdict === 'break') {
      response.destroy(new TransportError(`watch: no answer within ${client.streamIdleMs} ms`));
    }
  }, client.streamIdleMs);
  const lines = new JsonLines();
  try {
    for await (const chunk of response) {
      lastMessageAt = performance.now();
      for (const message of lines.push(chunk as Buffer) as StreamMessage<WatchResponse>[]) {
        if (message.error !== undefined) {
          const { message: text, grpc_code: code } = message.error;
          throw new GatewayError(`watch: ${text ?? 'an error without a message'}`, code, 200);
        }
        const result = message.result ?? {};
        if (result.canceled === true) return 'canceled';
        if (result.created === true) established();
        const events = result.events ?? [];
        for (const event of events) {
          const e = eventOf(event.type, event.kv ?? {});
          deliveredUpTo = Math.max(deliveredUpTo, e.revision);
          deliver(e);
        }
        // Only a progress notification's header says "all delivered up to here": etcd sends
        // one only to a watcher that has caught up, whereas a created message or a catch-up
        // batch carries the store's revision while older events may still be on their way.
        if (result.created !== true && events.length === 0) {
          deliveredUpTo = Math.max(deliveredUpTo, revisionOf(result.header));
        }
      }
    }
    return 'broken';
  } finally {
    clearInterval(liveness);
    response.destroy();
  }
}

function eventOf(type: 'PUT' | 'DELETE' | undefined, kv: WireKv): KvEvent {
  const revision = Number(kv.mod_revision ?? 0);
  return type === 'DELETE'
    ? { type: 'delete', key: unb64(kv.key), value: null, revision }
    : { type: 'put', key: unb64(kv.key), value: unb64(kv.value), revision, lease: leaseOf(kv) };
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
