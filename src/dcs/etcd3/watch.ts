import type { Etcd3 } from 'etcd3';
import type { KvEvent } from '../kv/backend.js';

/**
 * Watches every key under a prefix from a revision until `signal` aborts. Resolves once etcd confirmed the
 * watch (or cancelled it: then a `lost` event was delivered). The library reconnects a broken
 * stream by itself and resumes after the last revision it saw, so no event in between is lost.
 */
export async function watchPrefix(
  client: Etcd3,
  prefix: string,
  fromRevision: number,
  onEvent: (e: KvEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  if (signal.aborted) return;
  const watcher = client.watch().prefix(prefix).startRevision(String(fromRevision)).watcher();
  const stop = (): void => {
    watcher.cancel().catch(() => undefined);
  };
  signal.addEventListener('abort', stop, { once: true });
  watcher.on('put', (kv) => {
    onEvent({
      type: 'put',
      key: kv.key.toString('utf8'),
      value: kv.value.toString('utf8'),
      revision: Number(kv.mod_revision),
    });
  });
  watcher.on('delete', (kv) => {
    onEvent({
      type: 'delete',
      key: kv.key.toString('utf8'),
      value: null,
      revision: Number(kv.mod_revision),
    });
  });
  await new Promise<void>((resolve) => {
    watcher.on('connected', () => {
      resolve();
    });
    // etcd cancelled the watch (compacted start revision, permissions): changes may have been
    // missed, so the waiter is told to re-read. Also, without a listener an 'error' event would
    // be thrown by the emitter.
    watcher.on('error', () => {
      onEvent({ type: 'lost', key: '', value: null, revision: 0 });
      resolve();
    });
    signal.addEventListener(
      'abort',
      () => {
        resolve();
      },
      { once: true },
    );
  });
}
