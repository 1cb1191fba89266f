import type { LocalTime } from './render/time.js';
import { ctlTimestamp } from './render/time.js';

/**
 * patronictl's stderr log format `%(asctime)s - %(levelname)s - %(message)s`, asctime being
 * `YYYY-MM-DD HH:MM:SS,mmm` in local time.
 */
export function logLine(
  now: LocalTime,
  level: 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR',
  message: string,
): string {
  const ts = ctlTimestamp(now, 4);
  return `${ts.slice(0, 19)},${ts.slice(20, 23)} - ${level} - ${message}`;
}
