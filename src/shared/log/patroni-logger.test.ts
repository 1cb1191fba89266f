import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { asctime, formatPlain } from './format.js';
import { PatroniLogger } from './patroni-logger.js';
import { redactText } from './redact.js';
import type { LogSink } from './sink.js';

/** 2024-01-01 10:00:00.123 in local time, as Patroni prints local time. */
const T = new Date(2024, 0, 1, 10, 0, 0, 123).getTime();

function capture(): LogSink & { lines: string[] } {
  const lines: string[] = [];
  return { lines, write: (l) => void lines.push(l), close: () => undefined };
}

describe('log line format', () => {
  it('is Patroni’s default: local time, comma milliseconds, level, colon', () => {
    const sink = capture();
    const logger = PatroniLogger.create({}, { sink, now: () => T });
    logger.info('no action. I am (node1), the leader with the lock');
    assert.deepEqual(sink.lines, [
      '2024-01-01 10:00:00,123 INFO: no action. I am (node1), the leader with the lock',
    ]);
    // The acceptance harness reads the level at column 24.
    assert.equal(sink.lines[0]?.slice(24, 28), 'INFO');
  });

  it('uses log.format and log.dateformat', () => {
    const sink = capture();
    const logger = PatroniLogger.create(
      {
        format: '%(asctime)s [%(levelname)-8s] %(name)s: %(message)s',
        dateformat: '%d/%m/%Y %H:%M',
      },
      { sink, now: () => T },
    );
    logger.warning('careful');
    assert.deepEqual(sink.lines, ['01/01/2024 10:00 [WARNING ] patroni: careful']);
  });

  it('json type writes one object per line with the listed fields and static fields', () => {
    const sink = capture();
    const logger = PatroniLogger.create(
      {
        type: 'json',
        format: ['levelname', { message: 'msg' }],
        static_fields: { app: 'patroni' },
      },
      { sink, now: () => T },
    );
    logger.error('boom', { member: 'node1' });
    assert.deepEqual(JSON.parse(sink.lines[0] ?? ''), {
      levelname: 'ERROR',
      msg: 'boom',
      app: 'patroni',
      member: 'node1',
    });
  });

  it('json with a plain format string takes the attributes it names', () => {
    const sink = capture();
    const logger = PatroniLogger.create({ type: 'json' }, { sink, now: () => T });
    logger.info('hi');
    assert.deepEqual(JSON.parse(sink.lines[0] ?? ''), {
      asctime: '2024-01-01 10:00:00,123',
      levelname: 'INFO',
      message: 'hi',
    });
  });

  it('asctime pads every field', () => {
    assert.equal(asctime(new Date(2024, 2, 5, 4, 3, 2, 1).getTime()), '2024-03-05 04:03:02,001');
    const record = { time: T, level: 'INFO', levelno: 20, message: 'm', name: 'x', pid: 7 };
    assert.equal(formatPlain(record, '%(process)d %% %(levelno)s'), '7 % 20');
  });
});

describe('levels', () => {
  it('filters below log.level and honours log.loggers per component', () => {
    const sink = capture();
    const root = PatroniLogger.create(
      { level: 'WARNING', loggers: { 'patroni.postmaster': 'DEBUG' } },
      { sink, now: () => T },
    );
    root.info('hidden');
    root.warning('shown');
    root.child('patroni.postmaster').debug('detail');
    root.child('patroni.api').info('hidden too');
    assert.deepEqual(
      sink.lines.map((l) => l.slice(24)),
      ['WARNING: shown', 'DEBUG: detail'],
    );
  });

  it('reconfigure applies a reloaded log section to existing children', () => {
    const sink = capture();
    const root = PatroniLogger.create({ level: 'ERROR' }, { sink, now: () => T });
    const child = root.child('patroni.ha');
    child.info('before');
    root.reconfigure({ level: 'INFO' });
    child.info('after');
    assert.deepEqual(
      sink.lines.map((l) => l.slice(24)),
      ['INFO: after'],
    );
  });
});

describe('redaction', () => {
  const rows: [string, string][] = [
    [
      'host=db port=5432 user=rep password=s3cret dbname=x',
      'host=db port=5432 user=rep password=****** dbname=x',
    ],
    ["password='a b c' user=x", 'password=****** user=x'],
    [
      'postgres://rep:s3cret@10.0.0.1:5432/postgres',
      'postgres://rep:******@10.0.0.1:5432/postgres',
    ],
    ['{"username": "u", "password": "s3cret"}', '{"username": "u", "password": "******"}'],
    ["{'username': 'u', 'password': 's3cret'}", "{'username': 'u', 'password': '******'}"],
    ['host=db PASSWORD=s3cret', 'host=db PASSWORD=******'],
    ['{"Token": "abc"}', '{"Token": "******"}'],
    ['no secrets here', 'no secrets here'],
  ];
  for (const [input, expected] of rows) {
    it(input, () => {
      assert.equal(redactText(input), expected);
    });
  }

  it('masks secret fields and conninfo passwords in what reaches the sink', () => {
    const sink = capture();
    const logger = PatroniLogger.create({ type: 'json' }, { sink, now: () => T });
    logger.info('connecting with password=hunter2', {
      password: 'hunter2',
      conn: 'user=a password=hunter2',
    });
    assert.doesNotMatch(sink.lines.join('\n'), /hunter2/);
  });
});

describe('log.dir with rotation', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'patroni-ts-log-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes patroni.log mode 0600 and rotates at file_size keeping file_num files', async () => {
    const logger = PatroniLogger.create({ dir, file_size: 100, file_num: 2 }, { now: () => T });
    for (let i = 0; i < 10; i++) logger.info(`line number ${i} padding padding`);
    logger.close();
    const files = (await readdir(dir)).sort();
    assert.deepEqual(files, ['patroni.log', 'patroni.log.1', 'patroni.log.2']);
    const current = await readFile(join(dir, 'patroni.log'), 'utf8');
    assert.match(current, /INFO: line number 9 padding padding\n$/);
    assert.ok(Buffer.byteLength(current) <= 100);
    const previous = await readFile(join(dir, 'patroni.log.1'), 'utf8');
    assert.match(previous, /line number [78]/);
    assert.equal((await stat(join(dir, 'patroni.log'))).mode & 0o777, 0o600);
  });
});
