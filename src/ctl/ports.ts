/**
 * What patronictl needs from the outside world, declared here on the consumer's side so every
 * command can be driven by ten-line fakes in tests. `Dcs` (src/dcs/port.ts) satisfies CtlDcs.
 */
import type { ClusterSnapshot, Member } from '../core/model/index.js';
import type { LocalTime } from './render/time.js';

/** The DCS reads and writes patronictl does. Writes return false when a CAS lost. */
export interface CtlDcs {
  getCluster(): Promise<ClusterSnapshot>;
  /** Writes `config`; with `index`, only if its revision still equals it. */
  setConfigValue(value: string, index?: number): Promise<boolean>;
  /** Writes `failover` (`{}` clears it); with `index`, CAS on its revision. */
  setFailoverValue(value: string, index?: number): Promise<boolean>;
  /** Deletes the whole scope directory. */
  deleteCluster(): Promise<boolean>;
  close(): Promise<void>;
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RestResponse {
  readonly status: number;
  readonly body: string;
}

/**
 * Calls a member's Patroni REST API at `<scheme>://<host:port of api_url>/<endpoint>` (the
 * member's api_url itself when no endpoint). Throws PatroniError('REST_UNREACHABLE') when no
 * HTTP answer came; any HTTP status is a normal result.
 */
export interface RestClient {
  request(
    member: Member,
    method: HttpMethod,
    endpoint?: string,
    body?: unknown,
  ): Promise<RestResponse>;
}

/** Terminal I/O in click's manner. Prompts read lines from stdin; EOF aborts (`Aborted!`). */
export interface CtlIo {
  /** click.echo: the text and a newline, on stdout. */
  out(text: string): void;
  /** A warning/log line on stderr. */
  err(text: string): void;
  /** click.prompt: `text [default]: `; empty input takes the default, or asks again without one. */
  prompt(text: string, defaultValue?: string, hidden?: boolean): Promise<string>;
  /** click.confirm: `text [y/N]: `. */
  confirm(text: string): Promise<boolean>;
  /** All of stdin, for `--apply -` / `--replace -`. */
  readAll(): Promise<string>;
  /** click.clear(), used by the watch loops. */
  clear(): void;
  readonly stdoutIsTty: boolean;
}

/** Time as patronictl sees it: local wall clock and sleeping between polls. */
export interface CtlClock {
  now(): LocalTime;
  sleep(ms: number): Promise<void>;
}

/** Runs one SQL command on a member for `patronictl query`. */
export interface SqlRunner {
  /**
   * Connects to `host:port` (dbname/user/password optional), checks the role when asked, runs
   * `sql`. Returns the column names and rows, or a SQLSTATE/message on a database error.
   */
  run(request: SqlRequest): Promise<SqlResult>;
}

export interface SqlRequest {
  readonly host: string;
  readonly port: number;
  readonly dbname?: string;
  readonly user?: string;
  readonly password?: string;
  readonly sql: string;
  /** When set, the query runs only if pg_is_in_recovery() matches. */
  readonly requireRecovery?: boolean;
}

export type SqlResult =
  | {
      readonly kind: 'rows';
      readonly columns: readonly string[];
      readonly rows: readonly (readonly unknown[])[];
    }
  | { readonly kind: 'wrong-role' }
  | { readonly kind: 'error'; readonly sqlstate: string };
