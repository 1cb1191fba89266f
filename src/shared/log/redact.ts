/**
 * Last line of defence against secrets in logs: messages are written without passwords by their
 * authors, but a conninfo string or a URL with credentials can slip into an error message.
 */

const MASK = '******';

/** Field names whose values are never logged. */
const SECRET_KEY = /pass(word)?|secret|token|(^|_)key_password$|^auth$/i;

/** `password=...` in libpq conninfo strings, quoted or not. */
const CONNINFO_PASSWORD = /\b(password|sslpassword)\s*=\s*('(?:[^'\\]|\\.)*'|[^\s'"]+)/gi;

/** `scheme://user:secret@host` in URLs. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]+)@/gi;

/** JSON-ish `"password": "..."` inside messages (e.g. a dumped config). */
const JSON_PASSWORD = /("(?:[a-z_]*password|secret|token)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;

/** Python-repr `'password': '...'` inside messages. */
const REPR_PASSWORD = /('(?:[a-z_]*password|secret|token)'\s*:\s*)'(?:[^'\\]|\\.)*'/gi;

/** Every pattern above needs one of these; most log lines have none (one test, not four). */
const MAY_HOLD_SECRET = /pass|secret|token|:\/\//i;

export function redactText(text: string): string {
  if (!MAY_HOLD_SECRET.test(text)) return text;
  return text
    .replace(CONNINFO_PASSWORD, (_m, key: string) => `${key}=${MASK}`)
    .replace(URL_CREDENTIALS, (_m, prefix: string) => `${prefix}${MASK}@`)
    .replace(JSON_PASSWORD, (_m, prefix: string) => `${prefix}"${MASK}"`)
    .replace(REPR_PASSWORD, (_m, prefix: string) => `${prefix}'${MASK}'`);
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** A deep copy with secret-named fields masked and strings scrubbed. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[deep]';
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = isSecretKey(k) && v !== null && v !== undefined ? MASK : redactValue(v, depth + 1);
    }
    return out;
  }
  return value;
}
