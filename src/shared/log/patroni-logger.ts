/**
 * The `Logger` implementation behind every layer: Patroni's line format, level filtering with
 * per-logger overrides (`log.loggers`), JSON output (`log.type: json`), redaction, and a sink
 * (stderr or rotating files). `reconfigure` applies a reloaded `log` section in place, so
 * components holding a child logger see the change.
 */
import type { LogLevel, Logger } from './logger.js';
import {
  DEFAULT_FORMAT,
  DEFAULT_JSON_FIELDS,
  type JsonFieldSpec,
  type LogRecord,
  fieldsOfFormat,
  formatJson,
  formatPlain,
} from './format.js';
import { redactText, redactValue } from './redact.js';
import { RotatingFileSink, stderrSink, type LogSink } from './sink.js';

/** The `log` section of patroni.yml, as the config layer parses it. */
export interface LogSettings {
  readonly type?: 'plain' | 'json' | undefined;
  readonly level?: string | undefined;
  readonly format?: string | readonly (string | Readonly<Record<string, string>>)[] | undefined;
  readonly dateformat?: string | undefined;
  readonly static_fields?: Readonly<Record<string, unknown>> | undefined;
  readonly dir?: string | undefined;
  readonly file_num?: number | undefined;
  readonly file_size?: number | undefined;
  readonly mode?: number | undefined;
  readonly loggers?: Readonly<Record<string, string>> | undefined;
}

const LEVEL_NUMBERS: Readonly<Record<string, number>> = {
  DEBUG: 10,
  INFO: 20,
  WARN: 30,
  WARNING: 30,
  ERROR: 40,
  FATAL: 50,
  CRITICAL: 50,
};

export function levelNumber(level: string | undefined, fallback = 20): number {
  return level === undefined ? fallback : (LEVEL_NUMBERS[level.toUpperCase()] ?? fallback);
}

export interface LoggerOptions {
  /** Replace the sink (tests); default: stderr, or files when `dir` is set. */
  readonly sink?: LogSink;
  /** Epoch ms; default Date.now. */
  readonly now?: () => number;
  readonly pid?: number;
}

interface State {
  settings: LogSettings;
  sink: LogSink;
  ownsSink: boolean;
}

export class PatroniLogger implements Logger {
  private constructor(
    private readonly state: State,
    private readonly options: LoggerOptions,
    readonly name: string,
  ) {}

  static create(settings: LogSettings = {}, options: LoggerOptions = {}): PatroniLogger {
    const state: State = { settings, sink: stderrSink, ownsSink: false };
    const logger = new PatroniLogger(state, options, 'patroni');
    logger.reconfigure(settings);
    return logger;
  }

  /** A logger for one component; `log.loggers.<name>` may set its own level. */
  child(name: string): PatroniLogger {
    return new PatroniLogger(this.state, this.options, name);
  }

  reconfigure(settings: LogSettings): void {
    const previous = this.state;
    const sink = this.options.sink ?? sinkFor(settings);
    if (previous.ownsSink && previous.sink !== sink) previous.sink.close();
    this.state.settings = settings;
    this.state.sink = sink;
    this.state.ownsSink = this.options.sink === undefined && settings.dir !== undefined;
  }

  close(): void {
    if (this.state.ownsSink) this.state.sink.close();
  }

  isEnabled(level: LogLevel): boolean {
    const settings = this.state.settings;
    const own = settings.loggers?.[this.name];
    return levelNumber(level) >= levelNumber(own ?? settings.level);
  }

  debug(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.log('DEBUG', message, fields);
  }
  info(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.log('INFO', message, fields);
  }
  warning(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.log('WARNING', message, fields);
  }
  error(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.log('ERROR', message, fields);
  }
  critical(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.log('CRITICAL', message, fields);
  }

  log(level: LogLevel, message: string, fields?: Readonly<Record<string, unknown>>): void {
    if (!this.isEnabled(level)) return;
    const record: LogRecord = {
      time: (this.options.now ?? Date.now)(),
      level,
      levelno: levelNumber(level),
      message: redactText(message),
      name: this.name,
      pid: this.options.pid ?? process.pid,
      fields: fields === undefined ? undefined : (redactValue(fields) as Record<string, unknown>),
    };
    try {
      this.state.sink.write(render(record, this.state.settings));
    } catch {
      // A full disk must not take the HA loop down with it; the line is lost, as in Patroni.
    }
  }
}

function sinkFor(settings: LogSettings): LogSink {
  if (settings.dir === undefined) return stderrSink;
  return new RotatingFileSink({
    dir: settings.dir,
    fileSize: settings.file_size,
    fileNum: settings.file_num,
    mode: settings.mode,
  });
}

function render(record: LogRecord, settings: LogSettings): string {
  const format = settings.format;
  if (settings.type === 'json') {
    const spec: JsonFieldSpec =
      format === undefined
        ? DEFAULT_JSON_FIELDS
        : typeof format === 'string'
          ? fieldsOfFormat(format)
          : format;
    return formatJson(record, spec, settings.static_fields ?? {}, settings.dateformat);
  }
  const text = typeof format === 'string' ? format : DEFAULT_FORMAT;
  return formatPlain(record, text, settings.dateformat);
}
