import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  constants,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { osErrorText } from './device.js';
import { createWatchdogDevice } from './index.js';
import { ioc, iocLayout, watchdogRequests } from './ioctl.js';
import { LinuxWatchdogDevice } from './linux.js';
import { watchdogSettings } from './settings.js';
import { TestingWatchdogDevice } from './testing.js';

describe('ioctl request numbers (linux/watchdog.h)', () => {
  it('match the kernel headers on the generic layout (x86, arm)', () => {
    const r = watchdogRequests('x64');
    assert.equal(r.getSupport, 0x80285700);
    assert.equal(r.setTimeout, 0xc0045706);
    assert.equal(r.getTimeout, 0x80045707);
    assert.deepEqual(watchdogRequests('arm64'), r);
  });

  it('use the three-bit direction of MIPS and PowerPC', () => {
    const r = watchdogRequests('ppc64');
    assert.equal(r.getTimeout, 0x40045707);
    assert.equal(r.setTimeout, 0xc0045706);
    assert.equal(ioc(iocLayout('mips'), 0, 'W', 5, 0), 0x5705);
  });
});

describe('OS errors in Python words', () => {
  it('reads as Patroni logs them', () => {
    assert.equal(
      osErrorText(2, '/dev/watchdog'),
      "[Errno 2] No such file or directory: '/dev/watchdog'",
    );
    assert.equal(osErrorText(-25), '[Errno 25] Inappropriate ioctl for device');
  });
});

describe('LinuxWatchdogDevice on things that are not watchdogs', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'wd-linux-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('a missing device cannot be opened, and is not healthy', () => {
    const dev = new LinuxWatchdogDevice(join(dir, 'missing'));
    assert.equal(dev.isHealthy(), false);
    assert.throws(
      () => {
        dev.open();
      },
      {
        message: `Can't open watchdog device: [Errno 2] No such file or directory: '${join(dir, 'missing')}'`,
      },
    );
    assert.equal(dev.isOpen, false);
  });

  it('pings are writes of 1, the magic close a V; ioctls fail on a plain file', () => {
    const path = join(dir, 'plain');
    closeSync(openSync(path, 'w'));
    const dev = new LinuxWatchdogDevice(path);
    assert.equal(dev.isHealthy(), true);
    dev.open();
    assert.throws(
      () => dev.getTimeout(),
      /^WatchdogError: Could not get timeout on watchdog device: \[Errno 25\] Inappropriate ioctl for device$/,
    );
    assert.throws(() => dev.hasSetTimeout(), /Could not get information about watchdog device/);
    assert.equal(dev.describe(), `Linux watchdog device at ${path}`);
    dev.keepalive();
    dev.keepalive();
    dev.close();
    assert.equal(dev.isOpen, false);
    assert.equal(readFileSync(path, 'utf8'), '11V');
  });

  it('refuses timeouts the kernel would not take', () => {
    const dev = new LinuxWatchdogDevice(join(dir, 'plain'));
    assert.throws(() => {
      dev.setTimeout(0);
    }, /Invalid timeout 0. Supported values are between 1 and 65535/);
  });
});

describe('TestingWatchdogDevice (the acceptance suite FIFO protocol)', () => {
  let dir = '';
  let fifo = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'wd-fifo-'));
    fifo = join(dir, 'watchdog.fifo');
    execFileSync('mkfifo', [fifo]);
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('without a reader the open fails at once instead of hanging', () => {
    const dev = new TestingWatchdogDevice(fifo);
    assert.throws(() => {
      dev.open();
    }, /Can't open watchdog device: \[Errno 6\] No such device or address/);
  });

  it('writes Ctimeout=<N>, 1 per ping and V on close', () => {
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const dev = createWatchdogDevice(
        watchdogSettings({ driver: 'testing', device: fifo }, { ttl: 20, loopWait: 2 }),
      );
      assert.ok(dev instanceof TestingWatchdogDevice);
      dev.open();
      assert.equal(dev.describe(), `Watchdog test harness at ${fifo}`);
      assert.equal(dev.hasSetTimeout(), true);
      assert.equal(dev.canBeDisabled(), true);
      dev.setTimeout(15);
      assert.equal(dev.getTimeout(), 15);
      dev.keepalive();
      dev.close();
      const buf = Buffer.alloc(64);
      const n = readSync(reader, buf);
      assert.equal(buf.subarray(0, n).toString(), 'Ctimeout=15\n1V');
    } finally {
      closeSync(reader);
    }
  });

  it('the default driver is Linux only; unknown drivers have no device', () => {
    const s = (driver: string) => watchdogSettings({ driver }, { ttl: 30, loopWait: 10 });
    assert.ok(createWatchdogDevice(s('default'), 'linux') instanceof LinuxWatchdogDevice);
    assert.equal(createWatchdogDevice(s('default'), 'darwin'), null);
    assert.equal(createWatchdogDevice(s('nonesuch'), 'linux'), null);
  });
});
