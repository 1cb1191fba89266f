/**
 * Timestamps for scheduled switchovers and restarts, as Patroni parses them (dateutil) and prints
 * them back (`datetime.isoformat()`). We accept the ISO-8601 family: `2030-01-01T00:00:00+00:00`,
 * a space instead of `T`, optional seconds and fractions, `Z`, `+HH`, `+HHMM`, `+HH:MM`.
 */
export interface ParsedTimestamp {
  readonly epochMs: number;
  /** Exact epoch microseconds (for metrics, which print seconds with a fraction). */
  readonly epochMicros: number;
  /** null when the text carries no timezone. */
  readonly offsetMinutes: number | null;
  /** Python's `isoformat()` of the parsed value. */
  readonly iso: string;
}

const PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6})\d*)?)?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$/i;

export function parseTimestamp(text: string): ParsedTimestamp | null {
  const m = PATTERN.exec(text.trim());
  if (m === null) return null;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
  const micros = Number((m[7] ?? '').padEnd(6, '0') || '0');
  if (!validDate(year ?? 0, month ?? 0, day ?? 0, hour ?? 0, minute ?? 0, second ?? 0)) return null;
  const offsetMinutes = parseOffset(m[8]);
  const localMs =
    Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, hour ?? 0, minute ?? 0, second ?? 0) +
    Math.floor(micros / 1000);
  const epochMs = localMs - (offsetMinutes ?? 0) * 60_000;
  const epochMicros = epochMs * 1000 + (micros % 1000);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  let iso = `${pad(year ?? 0, 4)}-${pad(month ?? 0)}-${pad(day ?? 0)}T${pad(hour ?? 0)}:${pad(minute ?? 0)}:${pad(second ?? 0)}`;
  if (micros > 0) iso += `.${pad(micros, 6)}`;
  if (offsetMinutes !== null) {
    const sign = offsetMinutes < 0 ? '-' : '+';
    const abs = Math.abs(offsetMinutes);
    iso += `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  }
  return { epochMs, epochMicros, offsetMinutes, iso };
}

function validDate(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= daysInMonth;
}

function parseOffset(text: string | undefined): number | null {
  if (text === undefined) return null;
  if (/^(z|utc)$/i.test(text)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(text);
  if (m === null) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

/**
 * Python's `str(datetime)` of a timestamp PostgreSQL printed (`2026-11-22 02:58:04.375817+00`
 * -> `2026-11-22 02:58:04.375817+00:00`), as the status document shows it. Text that does not
 * parse is passed through.
 */
export function pythonDatetimeText(text: string): string {
  const parsed = parseTimestamp(text);
  return parsed === null ? text : parsed.iso.replace('T', ' ');
}

export type ScheduleResult =
  | { readonly ok: true; readonly iso: string; readonly epochMs: number }
  | { readonly ok: false; readonly status: 400 | 422; readonly message: string };

/** `parse_schedule(schedule, action)`: the messages and codes operators see. */
export function parseSchedule(value: unknown, action: string, nowMs: number): ScheduleResult {
  const parsed = typeof value === 'string' ? parseTimestamp(value) : null;
  if (parsed === null) {
    return {
      ok: false,
      status: 422,
      message:
        'Unable to parse scheduled timestamp. It should be in an unambiguous format, e.g. ISO 8601',
    };
  }
  if (parsed.offsetMinutes === null) {
    return {
      ok: false,
      status: 400,
      message: `Timezone information is mandatory for the scheduled ${action}`,
    };
  }
  if (parsed.epochMs < nowMs) {
    return { ok: false, status: 422, message: `Cannot schedule ${action} in the past` };
  }
  return { ok: true, iso: parsed.iso, epochMs: parsed.epochMs };
}
