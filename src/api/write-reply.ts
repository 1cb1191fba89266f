import type { IncomingMessage, ServerResponse } from 'node:http';
import { pyJsonDumps } from './py-json.js';
import { errorPage, reasonPhrase, type Reply } from './reply.js';

export interface WriteSettings {
  readonly serverHeader: string;
  /** `http_extra_headers` (+ `https_extra_headers` with TLS): on JSON and text replies only. */
  readonly extraHeaders: Readonly<Record<string, string>>;
}

/** Puts a Reply on the wire the way Patroni's writer for that kind does. */
export function writeReply(
  req: IncomingMessage,
  res: ServerResponse,
  reply: Reply,
  settings: WriteSettings,
): void {
  if (res.headersSent || res.destroyed) return;
  switch (reply.kind) {
    case 'statusLine': {
      // Exactly what Patroni writes for HEAD/OPTIONS/liveness: no headers, then close.
      req.socket.end(`HTTP/1.0 ${reply.status} ${reasonPhrase(reply.status)}\r\n\r\n`);
      return;
    }
    case 'error': {
      // Python's send_error: its own headers, no extra ones, and the connection closes.
      const page = Buffer.from(errorPage(reply.status, reply.message));
      res.writeHead(reply.status, reasonPhrase(reply.status), {
        Server: settings.serverHeader,
        Connection: 'close',
        'Content-Type': 'text/html;charset=utf-8',
        'Content-Length': String(page.length),
      });
      res.end(req.method === 'HEAD' ? undefined : page);
      return;
    }
    case 'json':
      send(res, reply.status, pyJsonDumps(reply.body), 'application/json', {}, settings);
      return;
    case 'stream': {
      res.writeHead(reply.status, reasonPhrase(reply.status), {
        Server: settings.serverHeader,
        ...reply.headers,
        ...settings.extraHeaders,
      });
      res.flushHeaders();
      // Events are small and must not wait for Nagle.
      req.socket.setNoDelay(true);
      reply.start({
        // A gone client is noticed by 'close' (the hub then drops it); never write after it.
        write: (chunk) => !res.destroyed && !res.writableEnded && res.write(chunk),
        end: () => {
          res.end();
        },
        onClose: (listener) => {
          res.once('close', listener);
        },
      });
      return;
    }
    case 'text':
      send(
        res,
        reply.status,
        reply.text,
        reply.contentType ?? 'text/html',
        reply.headers ?? {},
        settings,
      );
      return;
  }
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  contentType: string,
  headers: Readonly<Record<string, string>>,
  settings: WriteSettings,
): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, reasonPhrase(status), {
    Server: settings.serverHeader,
    'Content-Type': contentType,
    ...headers,
    ...settings.extraHeaders,
    'Content-Length': String(bytes.length),
  });
  res.end(bytes);
}
