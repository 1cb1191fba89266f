/** Server-sent events framing (the WHATWG `text/event-stream` format). */

/** One event: `event:` names it, `data:` carries JSON (one line, so no multi-line framing). */
export function sseEvent(event: string, data: unknown, id?: string): string {
  const head = id === undefined ? '' : `id: ${id.replace(/[\r\n]/g, '')}\n`;
  return `${head}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A comment line: keeps proxies from closing an idle stream, and finds dead clients. */
export const SSE_PING = ': ping\n\n';

/** How long a browser waits before reconnecting after the stream broke (ms). */
export function sseRetry(ms: number): string {
  return `retry: ${Math.round(ms)}\n\n`;
}

export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-store',
  'X-Content-Type-Options': 'nosniff',
  // nginx buffers responses by default, which would hold events back.
  'X-Accel-Buffering': 'no',
};
