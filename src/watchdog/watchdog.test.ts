import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryLogger } from '../shared/log/logger.js';
import { WatchdogError, type WatchdogDevice } from './device.js';
import { watchdogSettings, type WatchdogSettings } from './settings.js';
import { Watchdog } from './watchdog.js';

/** A device that records what was done to it; each trait can be changed per test. */
class FakeDevice implements WatchdogDevice {
  calls: string[] = [];
  isOpen = false;
  timeout = 60;
  settable = true;
  magicClose = true;
  failOpen: string | null = null;
  failKeepalive = false;

  constructor(readonly name = 'Fake watchdog') {}

  isHealthy(): boolean {
    return this.failOpen === null;
  }
  open(): void {
    this.calls.push('open');
    if (this.failOpen !== null) throw new WatchdogError(this.failOpen);
    this.isOpen = true;
  }
  close(): void {
    if (!this.isOpen) return;
    this.calls.push('close');
    this.isOpen = false;
  }
  keepalive(): void {
    this.calls.push('keepalive');
    if (this.failKeepalive) throw new WatchdogError('Could not send watchdog keepalive: boom');
  }
  canBeDisabled(): boolean {
    return this.magicClose;
  }
  hasSetTimeout(): boolean {
    return this.settable;
  }
  setTimeout(seconds: number): void {
    this.calls.push(`timeout=${seconds}`);
    this.timeout = seconds;
  }
  getTimeout(): number {
    return this.timeout;
  }
  describe(): string {
    return this.name;
  }
}

const timing = { ttl: 20, loopWait: 2 };

function setup(
  section: Parameters<typeof watchdogSettings>[0] = { mode: 'required' },
  devices: FakeDevice[] = [new FakeDevice()],
): { wd: Watchdog; dev: FakeDevice; log: MemoryLogger; made: WatchdogSettings[] } {
  const log = new MemoryLogger();
  const made: WatchdogSettings[] = [];
  const queue = [...devices];
  const factory = (s: WatchdogSettings): FakeDevice | null => {
    made.push(s);
    return queue.shift() ?? null;
  };
  const wd = new Watchdog(watchdogSettings(section, timing), factory, log);
  const dev = devices[0] ?? new FakeDevice();
  return { wd, dev, log, made };
}

const lines = (log: MemoryLogger): string[] => log.lines.map((l) => `${l.level} ${l.message}`);

describe('Watchdog (patroni/watchdog/base.py)', () => {
  it('activation opens the device with ttl - safety_margin and says so', () => {
    const { wd, dev, log } = setup();
    assert.deepEqual(wd.view(), { running: false, healthy: true, inert: false });
    assert.equal(wd.activate(), true);
    assert.deepEqual(dev.calls, ['open', 'timeout=15']);
    assert.deepEqual(lines(log), [
      'INFO Fake watchdog activated with 15 second timeout, timing slack 13 seconds',
    ]);
    assert.deepEqual(wd.view(), { running: true, healthy: true, inert: false });
  });

  it('safety_margin -1 means half the ttl', () => {
    const { wd, dev } = setup({ mode: 'automatic', safety_margin: -1 });
    wd.activate();
    assert.deepEqual(dev.calls, ['open', 'timeout=10']);
  });

  it('keepalive pings only while armed', () => {
    const { wd, dev } = setup();
    wd.keepalive();
    assert.deepEqual(dev.calls, []);
    wd.activate();
    wd.keepalive();
    assert.deepEqual(dev.calls, ['open', 'timeout=15', 'keepalive']);
  });

  it('a new ttl reaches the armed device with the next keepalive, not before', () => {
    const { wd, dev, log } = setup();
    wd.activate();
    wd.reload(watchdogSettings({ mode: 'required' }, { ttl: 30, loopWait: 2 }));
    assert.equal(dev.timeout, 15);
    wd.keepalive();
    assert.deepEqual(dev.calls, ['open', 'timeout=15', 'keepalive', 'timeout=25']);
    assert.equal(
      lines(log).at(-1),
      'INFO Fake watchdog updated with 25 second timeout, timing slack 23 seconds',
    );
    wd.keepalive();
    assert.deepEqual(dev.calls.slice(4), ['keepalive']);
  });

  it('settings of an idle watchdog apply at once', () => {
    const { wd, dev } = setup();
    wd.reload(watchdogSettings({ mode: 'required' }, { ttl: 30, loopWait: 2 }));
    wd.activate();
    assert.deepEqual(dev.calls, ['open', 'timeout=25']);
  });

  it('disable closes the device (magic close) and ends the pings', () => {
    const { wd, dev } = setup();
    wd.activate();
    wd.disable();
    wd.keepalive();
    assert.deepEqual(dev.calls, ['open', 'timeout=15', 'close']);
    assert.deepEqual(wd.view(), { running: false, healthy: true, inert: false });
  });

  it('a device that cannot be disarmed gets a last ping and a warning', () => {
    const dev = new FakeDevice();
    dev.magicClose = false;
    const { wd, log } = setup({ mode: 'automatic' }, [dev]);
    wd.activate();
    wd.disable();
    assert.deepEqual(dev.calls, ['open', 'timeout=15', 'keepalive', 'close']);
    assert.ok(
      lines(log).includes(
        "WARNING Watchdog implementation can't be disabled. System will reboot after 15 seconds when watchdog times out.",
      ),
    );
  });

  it('automatic: a device that fails to open is dropped once, and the node goes on', () => {
    const dev = new FakeDevice();
    dev.failOpen = "Can't open watchdog device: [Errno 2] No such file or directory";
    const { wd, log } = setup({ mode: 'automatic' }, [dev]);
    assert.equal(wd.activate(), true);
    assert.deepEqual(lines(log), [
      "WARNING Could not activate Fake watchdog: Can't open watchdog device: [Errno 2] No such file or directory",
    ]);
    assert.deepEqual(wd.view(), { running: false, healthy: true, inert: true });
    assert.equal(wd.activate(), true);
    assert.equal(log.lines.length, 1);
  });

  it('required: a device that fails to open refuses the leader role and is unhealthy', () => {
    const dev = new FakeDevice();
    dev.failOpen = "Can't open watchdog device: [Errno 6] No such device or address";
    const { wd, log } = setup({ mode: 'required' }, [dev]);
    assert.equal(wd.view().healthy, false);
    assert.equal(wd.activate(), false);
    assert.deepEqual(lines(log), [
      "WARNING Could not activate Fake watchdog: Can't open watchdog device: [Errno 6] No such device or address",
      'ERROR Configuration requires watchdog, but watchdog could not be configured.',
    ]);
    assert.deepEqual(wd.view(), { running: false, healthy: false, inert: false });
    assert.equal(wd.activate(), false);
  });

  it('SIGHUP after a failed activation tries a fresh device', () => {
    const broken = new FakeDevice('Broken');
    broken.failOpen = "Can't open watchdog device: [Errno 6] No such device or address";
    const fixed = new FakeDevice('Fixed');
    const { wd } = setup({ mode: 'required' }, [broken, fixed]);
    assert.equal(wd.activate(), false);
    // A DCS change that leaves the device alone does not retry it: one log line, not one each.
    wd.reload(watchdogSettings({ mode: 'required' }, { ttl: 30, loopWait: 2 }));
    assert.equal(wd.healthy, false);
    wd.reload(watchdogSettings({ mode: 'required' }, timing), true);
    assert.equal(wd.healthy, true);
    assert.equal(wd.activate(), true);
    assert.deepEqual(fixed.calls, ['open', 'timeout=15']);
  });

  it('required: a fixed timeout longer than ttl - safety_margin is refused and disarmed', () => {
    const dev = new FakeDevice();
    dev.settable = false;
    const { wd, log } = setup({ mode: 'required' }, [dev]);
    assert.equal(wd.activate(), false);
    assert.deepEqual(dev.calls, ['open', 'close']);
    assert.ok(
      lines(log).includes(
        'ERROR Configuration requires watchdog, but a safe watchdog timeout 15 could not be configured. Watchdog timeout is 60.',
      ),
    );
  });

  it('automatic: a fixed timeout that is too long is used with a warning', () => {
    const dev = new FakeDevice();
    dev.settable = false;
    const { wd, log } = setup({ mode: 'automatic' }, [dev]);
    assert.equal(wd.activate(), true);
    assert.equal(wd.running, true);
    assert.ok(
      lines(log).includes(
        'WARNING Watchdog timeout 60 seconds does not ensure safe termination within 15 seconds',
      ),
    );
  });

  it('a timeout shorter than loop_wait would fire between pings: disarmed', () => {
    const dev = new FakeDevice();
    dev.settable = false;
    dev.timeout = 1;
    const { wd, log } = setup({ mode: 'automatic' }, [dev]);
    assert.equal(wd.activate(), true);
    assert.equal(wd.running, false);
    assert.deepEqual(lines(log), [
      'ERROR loop_wait of 2 seconds is too long for watchdog 1 second timeout',
      'INFO Disabling watchdog due to unsafe timeout.',
    ]);
  });

  it('ttl too short for loop_wait: not supported, required refuses', () => {
    const log = new MemoryLogger();
    const s = watchdogSettings({ mode: 'required' }, { ttl: 20, loopWait: 16 });
    const wd = new Watchdog(s, () => new FakeDevice(), log);
    assert.equal(wd.healthy, false);
    assert.equal(wd.activate(), false);
    assert.equal(
      lines(log)[0],
      'WARNING Watchdog not supported because leader TTL 20 is less than 2x loop_wait 16',
    );
  });

  it('mode off: no device is made, nothing to arm', () => {
    const { wd, made } = setup({ mode: 'off' });
    assert.deepEqual(made, []);
    assert.deepEqual(wd.view(), { running: false, healthy: true, inert: true });
    assert.equal(wd.unsupported, false);
  });

  it('required with a driver this platform lacks: unsupported (Patroni exits)', () => {
    const { wd } = setup({ mode: 'required', driver: 'nonesuch' }, []);
    assert.equal(wd.unsupported, true);
    assert.equal(setup({ mode: 'automatic', driver: 'nonesuch' }, []).wd.unsupported, false);
  });

  it('switching to off disarms an armed device at once', () => {
    const { wd, dev } = setup();
    wd.activate();
    wd.reload(watchdogSettings({ mode: 'off' }, timing));
    assert.deepEqual(dev.calls, ['open', 'timeout=15', 'close']);
    assert.deepEqual(wd.view(), { running: false, healthy: true, inert: true });
  });

  it('off -> automatic on an idle node makes the device again', () => {
    const second = new FakeDevice('Second');
    const { wd, made } = setup({ mode: 'off' }, [second]);
    wd.reload(watchdogSettings({ mode: 'automatic' }, timing));
    assert.equal(made.length, 1);
    assert.equal(wd.view().inert, false);
    wd.activate();
    assert.deepEqual(second.calls, ['open', 'timeout=15']);
  });

  it('a new device while armed: the old one is closed and the new one armed at keepalive', () => {
    const first = new FakeDevice('First');
    const second = new FakeDevice('Second');
    const { wd } = setup({ mode: 'required', device: '/dev/a' }, [first, second]);
    wd.activate();
    wd.reload(watchdogSettings({ mode: 'required', device: '/dev/b' }, timing));
    assert.deepEqual(second.calls, []);
    wd.keepalive();
    assert.deepEqual(first.calls, ['open', 'timeout=15', 'keepalive', 'close']);
    assert.deepEqual(second.calls, ['open', 'timeout=15']);
    assert.equal(wd.running, true);
  });

  it('a failing ping is logged, not thrown', () => {
    const { wd, dev, log } = setup();
    wd.activate();
    dev.failKeepalive = true;
    wd.keepalive();
    assert.equal(
      lines(log).at(-1),
      'ERROR Error while sending keepalive: Could not send watchdog keepalive: boom',
    );
  });
});
