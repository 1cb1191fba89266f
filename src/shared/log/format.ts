/**
 * Patroni's log line shapes (spec/surface.md §4.1). The default plain line is
 * `2024-01-01 10:00:00,123 INFO: message` in local time; the acceptance harness slices the level
 * at column 24, so the shape must be exact. `log.format` is a Python logging format string
 * (`%(asctime)s %(levelname)s: %(message)s`), `log.dateformat` a strftime pattern.
 */

export const DEFAULT_FORMAT = '%(asctime)s %(levelname)s: %(message)s';

export interface LogRecord {
  /** Epoch milliseconds. */
  readonly time: number;
  readonly level: string;
  readonly levelno: number;
  readonly message: string;
  readonly name: string;
  readonly pid: number;
  readonly fields?: Readonly<Record<string, unknown>> | undefined;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function tzOffset(d: Date): string {
  const minutes = -d.getTimezoneOffset();
  const sign = minutes >= 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

/** The strftime subset Python users put in `log.dateformat`. */
export function strftime(pattern: string, time: number): string {
  const d = new Date(time);
  const table: Readonly<Record<string, () => string>> = {
    Y: () => String(d.getFullYear()),
    y: () => pad(d.getFullYear() % 100),
    m: () => pad(d.getMonth() + 1),
    d: () => pad(d.getDate()),
    H: () => pad(d.getHours()),
    I: () => pad(d.getHours() % 12 === 0 ? 12 : d.getHours() % 12),
    p: () => (d.getHours() < 12 ? 'AM' : 'PM'),
    M: () => pad(d.getMinutes()),
    S: () => pad(d.getSeconds()),
    f: () => pad(d.getMilliseconds() * 1000, 6),
    b: () => MONTHS[d.getMonth()] ?? '',
    a: () => DAYS[d.getDay()] ?? '',
    j: () =>
      pad(Math.floor((d.getTime() - new Date(d.getFullYear(), 0, 1).getTime()) / 864e5) + 1, 3),
    z: () => tzOffset(d),
    Z: () =>
      Intl.DateTimeFormat('en', { timeZoneName: 'short' })
        .formatToParts(d)
        .find((p) => p.type === 'timeZoneName')?.value ?? '',
    '%': () => '%',
  };
  return pattern.replace(/%([a-zA-Z%])/g, (m, c: string) => table[c]?.() ?? m);
}

/** Python's default asctime: `YYYY-MM-DD HH:MM:SS,mmm`, local time. */
export function asctime(time: number, dateformat?: string): string {
  if (dateformat !== undefined) return strftime(dateformat, time);
  return `${strftime('%Y-%m-%d %H:%M:%S', time)},${pad(new Date(time).getMilliseconds(), 3)}`;
}

function attribute(record: LogRecord, name: string, dateformat?: string): string | number {
  switch (name) {
    case 'asctime':
      return asctime(record.time, dateformat);
    case 'levelname':
      return record.level;
    case 'levelno':
      return record.levelno;
    case 'message':
      return record.message;
    case 'name':
      return record.name;
    case 'process':
      return record.pid;
    case 'created':
      return record.time / 1000;
    case 'msecs':
      return record.time % 1000;
    default: {
      const v = record.fields?.[name];
      if (v === undefined) return '';
      return typeof v === 'number' ? v : typeof v === 'string' ? v : JSON.stringify(v);
    }
  }
}

/** Applies a Python `%(name)[-width]s|d` format string. */
export function formatPlain(
  record: LogRecord,
  format = DEFAULT_FORMAT,
  dateformat?: string,
): string {
  return format.replace(
    /%\((\w+)\)(-?)(\d*)([sdfr])|%%/g,
    (whole, name: string | undefined, left: string, width: string, conv: string) => {
      if (whole === '%%') return '%';
      let value = String(attribute(record, name ?? '', dateformat));
      if (conv === 'd') value = String(Math.trunc(Number(value)));
      const w = width === '' ? 0 : Number(width);
      return left === '-' ? value.padEnd(w) : value.padStart(w);
    },
  );
}

/** JSON fields: a list of attribute names, or one-key maps renaming them. */
export type JsonFieldSpec = readonly (string | Readonly<Record<string, string>>)[];

export const DEFAULT_JSON_FIELDS: JsonFieldSpec = ['asctime', 'levelname', 'message'];

/** Reads a plain format string as the list of attributes it mentions (Patroni does this too). */
export function fieldsOfFormat(format: string): string[] {
  return [...format.matchAll(/%\((\w+)\)/g)].map((m) => m[1] ?? '').filter((n) => n !== '');
}

export function formatJson(
  record: LogRecord,
  spec: JsonFieldSpec,
  staticFields: Readonly<Record<string, unknown>>,
  dateformat?: string,
): string {
  const out: Record<string, unknown> = {};
  for (const item of spec) {
    const [attr, key] =
      typeof item === 'string' ? [item, item] : (Object.entries(item)[0] ?? ['', '']);
    if (attr !== '') out[key] = attribute(record, attr, dateformat);
  }
  Object.assign(out, staticFields, record.fields ?? {});
  return JSON.stringify(out);
}
