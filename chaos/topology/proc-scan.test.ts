import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  isStuckState,
  nodeReport,
  parseBootTime,
  parseCmdline,
  parsePidFile,
  parseStat,
  parseSysvShm,
  parseUid,
  processReport,
  strayReport,
  type ProcInfo,
} from './proc-scan.js';

const STAT =
  '4242 (postgres: chaos: n1: ) (x)) T 4200 4200 4200 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 123456 1000 10 18446744073709551615';

function proc(p: Partial<ProcInfo> & { pid: number }): ProcInfo {
  return {
    comm: 'postgres',
    state: 'S',
    ppid: 1,
    startTicks: 0,
    uid: 101,
    cwd: null,
    cmdline: 'postgres',
    ...p,
  };
}

describe('proc-scan parsers', () => {
  it('reads state, parent and start time after a command name with spaces and parentheses', () => {
    assert.deepEqual(parseStat(STAT), {
      pid: 4242,
      comm: 'postgres: chaos: n1: ) (x)',
      state: 'T',
      ppid: 4200,
      startTicks: 123456,
    });
    assert.equal(parseStat('garbage'), null);
  });

  it('joins a NUL-separated command line and reads the real uid', () => {
    assert.equal(
      parseCmdline('/usr/lib/postgresql/15/bin/postgres\0-D\0/d\0'),
      '/usr/lib/postgresql/15/bin/postgres -D /d',
    );
    assert.equal(parseCmdline(''), '');
    assert.equal(parseUid('Name:\tpostgres\nUid:\t101\t101\t101\t101\n'), 101);
    assert.equal(parseUid('Name:\tx\n'), null);
  });

  it('reads postmaster.pid, the shared memory key and id included', () => {
    const pf = parsePidFile(
      '4200\n/d\n1796506929\n5432\n/tmp\n10.0.0.1\n  2343821   1572866\nready   \n',
    );
    assert.deepEqual(pf, {
      pid: 4200,
      dataDir: '/d',
      startEpoch: 1796506929,
      port: '5432',
      status: 'ready',
      shmKey: 2343821,
      shmId: 1572866,
    });
    assert.equal(parsePidFile('').pid, null);
  });

  it('reads /proc/sysvipc/shm and btime', () => {
    const shm = parseSysvShm(
      '       key      shmid perms   size  cpid  lpid nattch   uid\n   2343821    1572866   600   56   345   351      2   101\n',
    );
    assert.deepEqual(shm, [{ key: 2343821, shmid: 1572866, cpid: 345, lpid: 351, nattch: 2 }]);
    assert.equal(parseBootTime('cpu 1 2\nbtime 1796500000\n'), 1796500000);
  });

  it('counts stopped, traced and zombie as stuck', () => {
    assert.deepEqual(['R', 'S', 'D', 'T', 't', 'Z', 'I'].map(isStuckState), [
      false,
      false,
      false,
      true,
      true,
      true,
      false,
    ]);
  });
});

describe('nodeReport', () => {
  const boot = 1796500000;
  const pidFile = `4200\n/d/n1\n${boot + 100}\n5432\n/tmp\n*\n  77   88\nready\n`;

  it('flags a stopped old backend holding the shared memory and a stale pid file', () => {
    const lines = nodeReport(
      { name: 'n1', dataDir: '/d/n1', pidFile },
      [
        proc({ pid: 4301, state: 'T', cwd: '/d/n1', cmdline: 'postgres: chaos: checkpointer' }),
        proc({ pid: 4302, state: 'S', cwd: '/d/n1', cmdline: 'postgres: chaos: walwriter' }),
        proc({ pid: 5000, state: 'T', cwd: '/d/n2', cmdline: 'postgres: other node' }),
      ],
      [{ key: 77, shmid: 88, cpid: 4200, lpid: 4301, nattch: 1 }],
      boot,
    );
    assert.equal(lines[1], 'postmaster.pid names pid 4200: no such process (stale file)');
    assert.equal(lines[2], 'shared memory 77/88: 1 attached (created by 4200, last 4301)');
    assert.equal(lines[3], '2 processes in /d/n1, 1 stopped or zombie:');
    assert.match(
      lines[4] ?? '',
      /^ {2}STUCK pid 4301 state T ppid 1 uid 101 started \d+: postgres: chaos: checkpointer$/,
    );
    assert.equal(lines.length, 6);
  });

  it('says when the pid in the file now belongs to a process started at another time', () => {
    const lines = nodeReport(
      { name: 'n1', dataDir: '/d/n1', pidFile },
      // Started 500 s after the file's time: the pid was reused (another node's walsender).
      [
        proc({
          pid: 4200,
          startTicks: 600 * 100,
          cwd: '/d/n2',
          cmdline: 'postgres: chaos: walsender',
        }),
      ],
      [],
      boot,
    );
    assert.match(
      lines[1] ?? '',
      /NOT the postmaster that wrote the file \(started 500 s apart: pid reused\)$/,
    );
    assert.equal(lines[2], 'shared memory 77/88: gone');
  });

  it('accepts the postmaster that wrote the file', () => {
    const lines = nodeReport(
      { name: 'n1', dataDir: '/d/n1', pidFile },
      [proc({ pid: 4200, startTicks: 100 * 100, cwd: '/d/n1' })],
      [],
      boot,
    );
    assert.equal(
      lines[1],
      `postmaster.pid names pid 4200 state S ppid 1 uid 101 started ${boot + 100}: postgres`,
    );
  });

  it('says when there is no postmaster.pid', () => {
    assert.deepEqual(nodeReport({ name: 'n1', dataDir: '/d/n1', pidFile: null }, [], [], null), [
      'postmaster.pid: none',
      '0 processes in /d/n1, 0 stopped or zombie',
    ]);
  });
});

describe('strayReport', () => {
  it('lists stuck processes of the nodes users outside their data directories', () => {
    const lines = strayReport(
      [
        proc({ pid: 1, state: 'Z', cwd: null, cmdline: '', comm: 'postgres' }),
        proc({ pid: 2, state: 'T', cwd: '/d/n1' }),
        proc({ pid: 3, state: 'T', cwd: '/tmp', uid: 0 }),
        proc({ pid: 4, state: 'S', cwd: '/tmp' }),
      ],
      new Set([101]),
      new Set(['/d/n1']),
      null,
    );
    assert.deepEqual(lines, ['STUCK elsewhere pid 1 state Z ppid 1 uid 101: [postgres]']);
  });
});

describe('processReport', () => {
  it('finds this test process in its own working directory', async () => {
    const report = await processReport([{ name: 'here', dataDir: process.cwd() }]);
    const lines = report.get('here') ?? [];
    assert.equal(lines[0], 'postmaster.pid: none');
    assert.ok(
      lines.some(
        (l) => l.includes(`pid ${process.pid} state R`) || l.includes(`pid ${process.pid} state S`),
      ),
      lines.join('\n'),
    );
    assert.match(report.get('*')?.[0] ?? '', /^last pid allocated: \d+ \(pid_max \d+\)$/);
  });
});
