import type { IncomingMessage } from 'node:http';
import { httpError, type Reply } from './reply.js';

/** How a route takes its JSON body (Patroni's `_read_json_content(body_is_optional)`). */
export type BodyMode = 'none' | 'required' | 'optional';

export const MAX_BODY_BYTES = 1024 * 1024;

export type BodyResult =
  | { readonly ok: true; readonly body: Record<string, unknown> }
  | { readonly ok: false; readonly reply: Reply; readonly reason: string };

const refuse = (status: number, reason: string): BodyResult => ({
  ok: false,
  reply: httpError(status),
  reason,
});

/**
 * Reads and checks a JSON object body: missing Content-Length 411 (or `{}` when optional),
 * over the limit 413, not a JSON object (or an empty one when required) 400.
 */
export async function readJsonBody(
  req: IncomingMessage,
  mode: Exclude<BodyMode, 'none'>,
  limit = MAX_BODY_BYTES,
): Promise<BodyResult> {
  const header = req.headers['content-length'];
  if (header === undefined) {
    return mode === 'optional' ? { ok: true, body: {} } : refuse(411, 'no Content-Length');
  }
  const length = /^\d+$/.test(header.trim()) ? Number(header) : NaN;
  if (Number.isNaN(length)) return refuse(400, `bad Content-Length: ${header}`);
  if (length > limit) return refuse(413, `body of ${length} bytes is over ${limit}`);
  if (length === 0 && mode === 'optional') return { ok: true, body: {} };
  const raw = await readAll(req, limit);
  if (raw === null) return refuse(413, `body is over ${limit} bytes`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch (e) {
    return refuse(400, `malformed JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return refuse(400, 'body is not a JSON object');
  }
  const body = parsed as Record<string, unknown>;
  if (mode === 'required' && Object.keys(body).length === 0) return refuse(400, 'empty body');
  return { ok: true, body };
}

/** The whole body, or null once it grows past `limit` (a lying Content-Length). */
function readAll(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const onAborted = (): void => {
      cleanup();
      reject(new Error('client went away while sending the body'));
    };
    function cleanup(): void {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}
