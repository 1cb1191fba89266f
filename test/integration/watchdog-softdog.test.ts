/**
 * The Linux driver against a real kernel watchdog: Linux's `softdog`, through the real ioctls
 * (GETSUPPORT, SETTIMEOUT, GETTIMEOUT), pings and the magic close that disarms it.
 *
 * Safety first: it only ever touches a softdog whose `soft_noboot` is 1, so an expiry logs a
 * line instead of rebooting the machine. It loads softdog itself (as root, `soft_noboot=1
 * nowayout=0`) when it is not loaded, and unloads it afterwards; if softdog is loaded without
 * soft_noboot, cannot be loaded, or is in use, the test is skipped with the reason.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryLogger } from '../../src/shared/log/logger.js';
import { createWatchdogDevice, Watchdog, watchdogSettings } from '../../src/watchdog/index.js';
import { WDIOF } from '../../src/watchdog/ioctl.js';
import { LinuxWatchdogDevice } from '../../src/watchdog/linux.js';

const PARAMS = '/sys/module/softdog/parameters';
const CLASS = '/sys/class/watchdog';

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

/** soft_noboot is an int parameter (`1`); accept a bool's `Y` too. */
function noboot(): boolean {
  const v = read(join(PARAMS, 'soft_noboot'));
  return v === '1' || v === 'Y';
}

interface Softdog {
  readonly device: string;
  readonly sysfs: string;
  /** nowayout=0: closing with `V` really stops it. */
  readonly canStop: boolean;
  readonly loadedByUs: boolean;
}

function errorText(err: unknown): string {
  const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
  return stderr !== undefined && stderr !== '' ? stderr : String(err);
}

/** The softdog device we may arm, or why not. */
function findSoftdog(): Softdog | string {
  if (process.platform !== 'linux') return 'softdog is Linux only';
  let loadedByUs = false;
  if (!existsSync(PARAMS)) {
    if (process.getuid?.() !== 0) return 'softdog is not loaded and loading it needs root';
    try {
      execFileSync('modprobe', ['softdog', 'soft_noboot=1', 'nowayout=0'], { stdio: 'pipe' });
    } catch (err) {
      return `softdog cannot be loaded here (modprobe softdog soft_noboot=1): ${errorText(err)}`;
    }
    loadedByUs = true;
  }
  if (!noboot()) {
    if (loadedByUs) unload();
    return 'softdog is loaded without soft_noboot=1: an expiry would reboot this machine';
  }
  for (const name of existsSync(CLASS) ? readdirSync(CLASS) : []) {
    const sysfs = join(CLASS, name);
    if (read(join(sysfs, 'identity')) !== 'Software Watchdog') continue;
    if (read(join(sysfs, 'state')) === 'active') {
      if (loadedByUs) unload();
      return `${name} (softdog) is in use by another process`;
    }
    const canStop =
      read(join(PARAMS, 'nowayout')) !== '1' && read(join(PARAMS, 'nowayout')) !== 'Y';
    return { device: `/dev/${name}`, sysfs, canStop, loadedByUs };
  }
  if (loadedByUs) unload();
  return 'softdog is loaded but no /sys/class/watchdog entry is the Software Watchdog';
}

function unload(): void {
  try {
    execFileSync('rmmod', ['softdog'], { stdio: 'pipe' });
  } catch {
    // Still loaded with soft_noboot=1: harmless.
  }
}

const found = findSoftdog();
const skip = typeof found === 'string' ? found : false;

describe('Linux watchdog driver on softdog (soft_noboot=1)', { skip, timeout: 60_000 }, () => {
  const dog = found as Softdog;
  const state = (): string | null => read(join(dog.sysfs, 'state'));

  after(() => {
    if (dog.loadedByUs) unload();
  });

  it('talks to the device with the real ioctls and disarms it with V', () => {
    const dev = new LinuxWatchdogDevice(dog.device);
    assert.equal(dev.isHealthy(), true);
    dev.open();
    try {
      const info = dev.getSupport();
      assert.equal(info.identity, 'Software Watchdog');
      assert.ok((info.options & WDIOF.MAGICCLOSE) !== 0);
      assert.ok(dev.hasSetTimeout());
      dev.setTimeout(15);
      assert.equal(dev.getTimeout(), 15);
      assert.equal(read(join(dog.sysfs, 'timeout')), '15');
      assert.equal(state(), 'active');
      dev.keepalive();
      assert.equal(dev.describe(), `Software Watchdog at ${dog.device}`);
    } finally {
      dev.close();
    }
    if (dog.canStop) assert.equal(state(), 'inactive');
  });

  it('the Watchdog facade arms, follows a new ttl and disarms it', () => {
    const log = new MemoryLogger();
    const section = { mode: 'required' as const, device: dog.device };
    const wd = new Watchdog(
      watchdogSettings(section, { ttl: 20, loopWait: 2 }),
      createWatchdogDevice,
      log,
    );
    try {
      assert.equal(wd.activate(), true, JSON.stringify(log.lines));
      assert.equal(read(join(dog.sysfs, 'timeout')), '15');
      wd.reload(watchdogSettings(section, { ttl: 30, loopWait: 2 }));
      wd.keepalive();
      assert.equal(read(join(dog.sysfs, 'timeout')), '25');
    } finally {
      wd.disable();
    }
    assert.equal(wd.running, false);
    if (dog.canStop) assert.equal(state(), 'inactive');
  });
});
