/**
 * What a route answers; the server turns it into bytes. The kinds mirror Patroni's writers:
 * `_write_json_response`, `_write_response` (text, sent as text/html), `send_error` (the Python
 * stdlib HTML page) and `_write_status_code_only` (a bare status line); `stream` is ours (the
 * dashboard's event stream).
 */
export type Reply =
  | {
      readonly kind: 'json';
      readonly status: number;
      readonly body: unknown;
    }
  | {
      readonly kind: 'text';
      readonly status: number;
      readonly text: string;
      readonly contentType?: string;
      readonly headers?: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'error'; readonly status: number; readonly message?: string }
  | { readonly kind: 'statusLine'; readonly status: number }
  | {
      readonly kind: 'stream';
      readonly status: number;
      readonly headers: Readonly<Record<string, string>>;
      /** Called once the headers are out; owns the response until it ends or the client goes. */
      readonly start: (sink: StreamSink) => void;
    };

/** A long response written piece by piece (server-sent events): no Content-Length, no end. */
export interface StreamSink {
  /** false when the socket buffer is full (a slow client). */
  write(chunk: string): boolean;
  end(): void;
  /** Called once when the response ends, either side. */
  onClose(listener: () => void): void;
}

export const json = (status: number, body: unknown): Reply => ({ kind: 'json', status, body });

export const text = (
  status: number,
  message: string,
  headers?: Readonly<Record<string, string>>,
): Reply =>
  headers === undefined
    ? { kind: 'text', status, text: message }
    : { kind: 'text', status, text: message, headers };

export const httpError = (status: number, message?: string): Reply =>
  message === undefined ? { kind: 'error', status } : { kind: 'error', status, message };

export const statusLine = (status: number): Reply => ({ kind: 'statusLine', status });

/** Python's `http.HTTPStatus` phrase and explanation, for the stdlib error page. */
export const STATUS_TEXT: Readonly<Record<number, readonly [string, string]>> = {
  200: ['OK', 'Request fulfilled, document follows'],
  202: ['Accepted', 'Request accepted, processing continues off-line'],
  400: ['Bad Request', 'Bad request syntax or unsupported method'],
  401: ['Unauthorized', 'No permission -- see authorization schemes'],
  403: ['Forbidden', 'Request forbidden -- authorization will not help'],
  404: ['Not Found', 'Nothing matches the given URI'],
  408: ['Request Timeout', 'Request timed out; try again later'],
  409: ['Conflict', 'Request conflict'],
  411: ['Length Required', 'Client must specify Content-Length'],
  412: ['Precondition Failed', 'Precondition in headers is false'],
  413: ['Request Entity Too Large', 'Entity is too large'],
  422: ['Unprocessable Entity', ''],
  500: ['Internal Server Error', 'Server got itself in trouble'],
  501: ['Not Implemented', 'Server does not support this operation'],
  502: ['Bad Gateway', 'Invalid responses from another server/proxy'],
  503: ['Service Unavailable', 'The server cannot process the request due to a high load'],
};

export function reasonPhrase(status: number): string {
  return STATUS_TEXT[status]?.[0] ?? 'Unknown';
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The page Python's `BaseHTTPRequestHandler.send_error` writes (3.11). */
export function errorPage(status: number, message?: string): string {
  const [phrase, explain] = STATUS_TEXT[status] ?? ['Unknown', ''];
  return (
    '<!DOCTYPE HTML>\n<html lang="en">\n    <head>\n        <meta charset="utf-8">\n' +
    '        <title>Error response</title>\n    </head>\n    <body>\n' +
    '        <h1>Error response</h1>\n' +
    `        <p>Error code: ${status}</p>\n` +
    `        <p>Message: ${escapeHtml(message ?? phrase)}.</p>\n` +
    `        <p>Error code explanation: ${status} - ${explain}.</p>\n` +
    '    </body>\n</html>\n'
  );
}
