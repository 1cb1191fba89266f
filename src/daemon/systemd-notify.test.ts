import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SystemdNotifier, watchdogIntervalMs, type NotifyTransport } from './systemd-notify.js';

function recording(): NotifyTransport & { sent: string[] } {
  const sent: string[] = [];
  return { sent, send: (m) => sent.push(m), close: () => undefined };
}

const quiet = { warning: (): void => undefined };

describe('systemd notify', () => {
  it('says READY once, with the first cycle, and the status only when it changes', () => {
    const t = recording();
    const n = new SystemdNotifier(t, false);
    n.cycleDone('no action. I am (node1), the leader with the lock');
    n.cycleDone('no action. I am (node1), the leader with the lock');
    n.cycleDone('demoting self because DCS is not accessible and I was a leader');
    assert.deepEqual(t.sent, [
      'READY=1\nSTATUS=no action. I am (node1), the leader with the lock',
      'STATUS=demoting self because DCS is not accessible and I was a leader',
    ]);
  });

  it('pings the watchdog after every cycle when the unit has WatchdogSec', () => {
    const t = recording();
    const n = new SystemdNotifier(t, true);
    n.cycleDone('a');
    n.cycleDone('a');
    assert.deepEqual(t.sent, ['READY=1\nWATCHDOG=1\nSTATUS=a', 'WATCHDOG=1']);
  });

  it('says STOPPING on shutdown', () => {
    const t = recording();
    new SystemdNotifier(t, false).stopping();
    assert.deepEqual(t.sent, ['STOPPING=1\nSTATUS=shutting down']);
  });

  it('keeps a multi-line sentence on one STATUS line', () => {
    const t = recording();
    new SystemdNotifier(t, false).cycleDone('one\ntwo');
    assert.deepEqual(t.sent, ['READY=1\nSTATUS=one two']);
  });

  it('reads the watchdog interval only when it is meant for this process', () => {
    assert.equal(watchdogIntervalMs({ WATCHDOG_USEC: '30000000' }, 42), 30_000);
    assert.equal(watchdogIntervalMs({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '42' }, 42), 30_000);
    assert.equal(watchdogIntervalMs({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '7' }, 42), null);
    assert.equal(watchdogIntervalMs({ WATCHDOG_USEC: 'x' }, 42), null);
    assert.equal(watchdogIntervalMs({}, 42), null);
  });

  it('does nothing without NOTIFY_SOCKET, and refuses the abstract namespace with a reason', () => {
    assert.equal(SystemdNotifier.fromEnv({}, quiet), null);
    const warnings: string[] = [];
    const n = SystemdNotifier.fromEnv(
      { NOTIFY_SOCKET: '@/org/freedesktop/systemd1/notify' },
      { warning: (m) => warnings.push(m) },
    );
    assert.equal(n, null);
    assert.match(warnings[0] ?? '', /abstract namespace/);
  });
});
