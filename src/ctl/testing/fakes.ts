/** Ten-line doubles of patronictl's ports, recording what a command asked for. */
import type { ClusterSnapshot, Member } from '../../core/model/index.js';
import { PatroniError } from '../../shared/errors.js';
import type { CtlConfig } from '../config.js';
import type { CtlContext } from '../context.js';
import type { CtlClock, CtlDcs, HttpMethod, RestClient, RestResponse } from '../ports.js';
import type { LocalTime } from '../render/time.js';
import { FakeIo } from './fake-io.js';

export class FakeDcs implements CtlDcs {
  readonly writes: { key: 'config' | 'failover'; value: string; index: number | undefined }[] = [];
  deleted = false;
  casResult = true;
  constructor(public clusters: ClusterSnapshot[]) {}
  getCluster(): Promise<ClusterSnapshot> {
    const c = this.clusters.length > 1 ? this.clusters.shift() : this.clusters[0];
    if (c === undefined) return Promise.reject(new PatroniError('DCS_UNREACHABLE', 'etcd is down'));
    return Promise.resolve(c);
  }
  setConfigValue(value: string, index?: number): Promise<boolean> {
    this.writes.push({ key: 'config', value, index });
    return Promise.resolve(this.casResult);
  }
  setFailoverValue(value: string, index?: number): Promise<boolean> {
    this.writes.push({ key: 'failover', value, index });
    return Promise.resolve(true);
  }
  deleteCluster(): Promise<boolean> {
    this.deleted = true;
    return Promise.resolve(true);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

export interface RestCall {
  readonly member: string;
  readonly method: HttpMethod;
  readonly endpoint: string | undefined;
  readonly body: unknown;
}

/** Answers by `METHOD endpoint` (or `member METHOD endpoint`); unreachable when unscripted. */
export class FakeRest implements RestClient {
  readonly calls: RestCall[] = [];
  constructor(
    private readonly answers: Readonly<Record<string, RestResponse | RestResponse[]>> = {},
  ) {}
  request(
    member: Member,
    method: HttpMethod,
    endpoint?: string,
    body?: unknown,
  ): Promise<RestResponse> {
    this.calls.push({ member: member.name, method, endpoint, body });
    const key = `${method} ${endpoint ?? ''}`.trim();
    const scripted = this.answers[`${member.name} ${key}`] ?? this.answers[key];
    const answer = Array.isArray(scripted)
      ? scripted.length > 1
        ? scripted.shift()
        : scripted[0]
      : scripted;
    if (answer === undefined) {
      return Promise.reject(
        new PatroniError('REST_UNREACHABLE', `${member.name}: connection refused`),
      );
    }
    return Promise.resolve(answer);
  }
}

export class FakeClock implements CtlClock {
  slept = 0;
  constructor(
    public time: LocalTime = {
      epochMs: Date.UTC(2026, 10, 22, 3, 0, 0, 123456 / 1000),
      offsetMinutes: 0,
    },
  ) {}
  now(): LocalTime {
    return this.time;
  }
  sleep(ms: number): Promise<void> {
    this.slept += ms;
    this.time = { ...this.time, epochMs: this.time.epochMs + ms };
    return Promise.resolve();
  }
}

export const TEST_CONFIG: CtlConfig = {
  raw: { scope: 'batman' },
  scope: 'batman',
  namespace: '/service/',
  citusGroup: null,
  rest: {
    auth: null,
    cacert: null,
    certfile: null,
    keyfile: null,
    keyfilePassword: null,
    insecure: false,
  },
};

export interface FakeWorld {
  readonly ctx: CtlContext;
  readonly io: FakeIo;
  readonly dcs: FakeDcs;
  readonly rest: FakeRest;
  readonly clock: FakeClock;
}

export function fakeWorld(
  clusters: ClusterSnapshot[],
  options: {
    answers?: readonly string[];
    rest?: Record<string, RestResponse | RestResponse[]>;
    config?: CtlConfig;
    stdin?: string;
  } = {},
): FakeWorld {
  const io = new FakeIo(options.answers ?? [], options.stdin ?? '');
  const dcs = new FakeDcs(clusters);
  const rest = new FakeRest(options.rest ?? {});
  const clock = new FakeClock();
  const ctx: CtlContext = {
    config: options.config ?? TEST_CONFIG,
    io,
    rest,
    clock,
    openDcs: () => Promise.resolve(dcs),
  };
  return { ctx, io, dcs, rest, clock };
}
