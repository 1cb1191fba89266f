import type { WatchdogView } from '../core/ha/input.js';
import type { Logger } from '../shared/log/logger.js';
import { WatchdogError, type WatchdogDevice } from './device.js';
import {
  sameDevice,
  sameSettings,
  timingSlack,
  watchdogTimeout,
  type WatchdogSettings,
} from './settings.js';

/** Makes the device for some settings; null where the driver is not supported here. */
export type DeviceFactory = (settings: WatchdogSettings) => WatchdogDevice | null;

function describe(device: WatchdogDevice | null): string {
  return device === null ? 'NullWatchdog' : device.describe();
}

/**
 * Patroni's `Watchdog` facade: arms a device when the node takes the leader role, pings it with
 * each leader-key refresh, disarms it when the role ends, and follows configuration changes.
 * A device that failed is dropped (`null`, Patroni's NullWatchdog) until the configuration
 * changes, so one missing /dev/watchdog is logged once, not every cycle.
 *
 * A new timeout on an armed device waits for the next keepalive, which comes right after a
 * leader-key refresh: the key then lives for the new ttl, and the watchdog may never outlive it.
 */
export class Watchdog {
  /** The latest settings (Patroni's `config`). */
  private settings: WatchdogSettings;
  /** The settings the device runs with (`active_config`). */
  private applied: WatchdogSettings;
  private device: WatchdogDevice | null;
  /** `activate()` was called and `disable()` not since. */
  private active = false;

  constructor(
    settings: WatchdogSettings,
    private readonly factory: DeviceFactory,
    private readonly logger: Logger,
  ) {
    this.settings = settings;
    this.applied = settings;
    this.device = settings.mode === 'off' ? null : factory(settings);
  }

  /** `required` with a driver this platform lacks: Patroni refuses to start. */
  get unsupported(): boolean {
    return this.settings.mode === 'required' && this.device === null;
  }

  get running(): boolean {
    return this.device?.isOpen ?? false;
  }

  /** `Watchdog.is_healthy`: false when a required watchdog is known to be unusable. */
  get healthy(): boolean {
    if (this.settings.mode !== 'required') return true;
    return timingSlack(this.settings) >= 0 && this.device !== null && this.device.isHealthy();
  }

  view(): WatchdogView {
    const { mode } = this.settings;
    return {
      running: this.running,
      healthy: this.healthy,
      inert: mode === 'off' || (this.device === null && mode !== 'required'),
    };
  }

  /**
   * New settings (patroni.yml reloaded, or ttl/loop_wait changed in the DCS). A device that
   * failed is tried afresh when its settings change, or on `retryFailed` (SIGHUP: the operator
   * may have fixed it); not on every DCS change, so a missing device is logged once.
   */
  reload(settings: WatchdogSettings, retryFailed = false): void {
    const before = this.applied;
    this.settings = settings;
    if (settings.mode === 'off') {
      // Turning the watchdog off is always safe at once.
      if (this.active) this.disable();
      this.device = null;
      this.applied = settings;
      return;
    }
    if (this.active) return; // applied with the next keepalive
    const retry = this.device === null && (retryFailed || settings.mode !== before.mode);
    if (retry || before.mode === 'off' || !sameDevice(settings, before)) {
      this.device = this.factory(settings);
    }
    this.applied = settings;
  }

  /**
   * Arms the device with a timeout inside the leader key's ttl. False when a watchdog is
   * required and none could be armed safely: the node must not act as the leader then.
   */
  activate(): boolean {
    this.applied = this.settings;
    const ok = this.arm();
    // Unlike 3.0.2, a failed activation leaves nothing active: a reload (SIGHUP, a new ttl)
    // then tries a fresh device instead of waiting for a keepalive that never comes.
    this.active = this.running;
    return ok;
  }

  /** Pings the armed device, then applies settings that changed since it was armed. */
  keepalive(): void {
    if (!this.active) return;
    try {
      if (this.device?.isOpen === true) this.device.keepalive();
      if (!sameSettings(this.settings, this.applied)) this.applyPending();
    } catch (err) {
      if (!(err instanceof WatchdogError)) throw err;
      this.logger.error(`Error while sending keepalive: ${err.message}`);
    }
  }

  /** Disarms and closes the device (magic close). */
  disable(): void {
    this.active = false;
    const device = this.device;
    if (device?.isOpen !== true) return;
    try {
      if (!device.canBeDisabled()) {
        // Give the operator a last full timeout to clean up.
        device.keepalive();
        this.logger.warning(
          `Watchdog implementation can't be disabled. System will reboot after ${device.getTimeout()} seconds when watchdog times out.`,
        );
      }
      device.close();
    } catch (err) {
      if (!(err instanceof WatchdogError)) throw err;
      this.logger.error(`Error while disabling watchdog: ${err.message}`);
    }
  }

  private applyPending(): void {
    const next = this.settings;
    const before = this.applied;
    if (!sameDevice(next, before)) {
      this.disable();
      this.device = this.factory(next);
      this.activate();
      return;
    }
    this.applied = next;
    const device = this.device;
    if (device?.isOpen !== true || watchdogTimeout(next) === watchdogTimeout(before)) return;
    device.setTimeout(watchdogTimeout(next));
    this.logger.info(
      `${device.describe()} updated with ${device.getTimeout()} second timeout, timing slack ${timingSlack(next)} seconds`,
    );
  }

  private arm(): boolean {
    const s = this.settings;
    if (timingSlack(s) < 0) {
      this.logger.warning(
        `Watchdog not supported because leader TTL ${s.ttl} is less than 2x loop_wait ${s.loopWait}`,
      );
      this.drop();
    }
    let actual: number | null = null;
    try {
      if (this.device !== null && !this.device.isOpen) this.device.open();
      actual = this.setTimeout();
      if (this.running && !this.device?.canBeDisabled()) {
        this.logger.warning(
          "Watchdog implementation can't be disabled. Watchdog will trigger after Patroni loses leader key.",
        );
      }
    } catch (err) {
      if (!(err instanceof WatchdogError)) throw err;
      this.logger.warning(`Could not activate ${describe(this.device)}: ${err.message}`);
      this.drop();
    }
    return this.judge(actual);
  }

  /** Whether the armed device (or its absence) is good enough for the mode. */
  private judge(actual: number | null): boolean {
    const s = this.settings;
    const timeout = watchdogTimeout(s);
    if (!this.running || actual === null || actual > timeout) {
      if (s.mode === 'required') {
        if (this.device === null) {
          this.logger.error(
            'Configuration requires watchdog, but watchdog could not be configured.',
          );
        } else {
          this.logger.error(
            `Configuration requires watchdog, but a safe watchdog timeout ${timeout} could not be configured. Watchdog timeout is ${String(actual)}.`,
          );
          // Unlike 3.0.2, which leaves it ticking, a device we refuse to use is disarmed.
          this.disable();
        }
        return false;
      }
      if (this.running) {
        this.logger.warning(
          `Watchdog timeout ${String(actual)} seconds does not ensure safe termination within ${timeout} seconds`,
        );
      }
    }
    if (this.running) {
      this.logger.info(
        `${describe(this.device)} activated with ${String(actual)} second timeout, timing slack ${timingSlack(s)} seconds`,
      );
    }
    return true;
  }

  /**
   * Sets the timeout where the device allows it and reads back the one in force; a device whose
   * timeout is shorter than loop_wait would fire between two pings, so it is disarmed.
   */
  private setTimeout(): number | null {
    const device = this.device;
    if (device === null) return null;
    const s = this.settings;
    if (device.hasSetTimeout()) device.setTimeout(watchdogTimeout(s));
    const actual = device.getTimeout();
    if (device.isOpen && actual < s.loopWait) {
      this.logger.error(
        `loop_wait of ${s.loopWait} seconds is too long for watchdog ${actual} second timeout`,
      );
      if (device.canBeDisabled()) {
        this.logger.info('Disabling watchdog due to unsafe timeout.');
        device.close();
        this.device = null;
        return null;
      }
    }
    return actual;
  }

  /** Forget the device (closing it first if it is open and can be disarmed). */
  private drop(): void {
    const device = this.device;
    this.device = null;
    if (device?.isOpen !== true) return;
    try {
      if (device.canBeDisabled()) device.close();
    } catch {
      // Already failing; the log line of the caller says why.
    }
  }
}
