import { PatroniError } from '../../shared/errors.js';

/**
 * Dates as patronictl prints and parses them. Pure: the caller passes the instant and the local
 * UTC offset (minutes east of Greenwich), so tests pin both.
 */
export interface LocalTime {
  readonly epochMs: number;
  /** Local offset in minutes east of UTC (JS `-getTimezoneOffset()`). */
  readonly offsetMinutes: number;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

interface Fields {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  us: number;
}

function fieldsOf(t: LocalTime, microsExtra = 0): Fields {
  const shifted = new Date(t.epochMs + t.offsetMinutes * 60_000);
  return {
    y: shifted.getUTCFullYear(),
    mo: shifted.getUTCMonth() + 1,
    d: shifted.getUTCDate(),
    h: shifted.getUTCHours(),
    mi: shifted.getUTCMinutes(),
    s: shifted.getUTCSeconds(),
    us: shifted.getUTCMilliseconds() * 1000 + microsExtra,
  };
}

/**
 * ctl.py `timestamp(precision)`: local `%Y-%m-%d %H:%M:%S.%f` cut at `precision - 7`, so the
 * default precision 6 drops the last microsecond digit and precision 0 drops the fraction.
 */
export function ctlTimestamp(t: LocalTime, precision = 6): string {
  const f = fieldsOf(t);
  const full = `${f.y}-${pad(f.mo)}-${pad(f.d)} ${pad(f.h)}:${pad(f.mi)}:${pad(f.s)}.${pad(f.us, 6)}`;
  return full.slice(0, full.length + precision - 7);
}

/** `(now + 1 hour).strftime('%Y-%m-%dT%H:%M')`, the example in the schedule prompts. */
export function nextHourExample(t: LocalTime): string {
  const f = fieldsOf({ epochMs: t.epochMs + 3_600_000, offsetMinutes: t.offsetMinutes });
  return `${f.y}-${pad(f.mo)}-${pad(f.d)}T${pad(f.h)}:${pad(f.mi)}`;
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** A parsed timestamp with its own UTC offset, printed as Python's `datetime.isoformat()`. */
export interface ZonedTime {
  readonly local: Fields;
  readonly offsetMinutes: number;
}

export function isoFormat(z: ZonedTime): string {
  const f = z.local;
  const frac = f.us === 0 ? '' : `.${pad(f.us, 6)}`;
  return `${f.y}-${pad(f.mo)}-${pad(f.d)}T${pad(f.h)}:${pad(f.mi)}:${pad(f.s)}${frac}${formatOffset(z.offsetMinutes)}`;
}

export function epochOf(z: ZonedTime): number {
  const f = z.local;
  return (
    Date.UTC(f.y, f.mo - 1, f.d, f.h, f.mi, f.s) +
    Math.floor(f.us / 1000) -
    z.offsetMinutes * 60_000
  );
}

const ISO =
  /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{1,2})(?::?(\d{2}))?(?::?(\d{2})(?:[.,](\d{1,6})\d*)?)?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * The subset of dateutil's parser operators use for `--scheduled`: ISO 8601 date and time with
 * an optional offset; a naive time takes the local offset (`tzlocal()`). Null when unparsable.
 */
export function parseTimestamp(text: string, localOffsetMinutes: number): ZonedTime | null {
  const m = ISO.exec(text.trim());
  if (m === null) return null;
  const num = (i: number): number => Number(m[i] ?? '0');
  const local: Fields = {
    y: num(1),
    mo: num(2),
    d: num(3),
    h: num(4),
    mi: num(5),
    s: num(6),
    us: Number((m[7] ?? '').padEnd(6, '0') || '0'),
  };
  if (
    local.mo < 1 ||
    local.mo > 12 ||
    local.d < 1 ||
    local.d > 31 ||
    local.h > 23 ||
    local.mi > 59 ||
    local.s > 59
  ) {
    return null;
  }
  return { local, offsetMinutes: offsetOf(m[8], localOffsetMinutes) };
}

function offsetOf(tz: string | undefined, localOffsetMinutes: number): number {
  if (tz === undefined) return localOffsetMinutes;
  const upper = tz.toUpperCase();
  if (upper === 'Z' || upper === 'UTC') return 0;
  const digits = tz.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
  return tz.startsWith('-') ? -minutes : minutes;
}

/** ctl.py `parse_scheduled`: null for none/`now`, else the zoned time or the operator's error. */
export function parseScheduled(text: string | null, localOffsetMinutes: number): ZonedTime | null {
  if ((text ?? 'now') === 'now' || text === '') return null;
  const parsed = parseTimestamp(text ?? '', localOffsetMinutes);
  if (parsed === null) {
    throw new PatroniError(
      'CTL_FAILED',
      `Unable to parse scheduled timestamp (${text ?? ''}). It should be in an unambiguous format (e.g. ISO 8601)`,
    );
  }
  return parsed;
}

export function fieldsToZoned(t: LocalTime): ZonedTime {
  return { local: fieldsOf(t), offsetMinutes: t.offsetMinutes };
}
