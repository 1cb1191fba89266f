/** Patroni's three modes (its other spellings are mapped when the configuration is read). */
export type WatchdogMode = 'off' | 'automatic' | 'required';

/**
 * A snapshot of what the watchdog runs with (Patroni's `WatchdogConfig`): the local `watchdog:`
 * section plus the leader key's timing, which the device's timeout must stay inside.
 */
export interface WatchdogSettings {
  readonly mode: WatchdogMode;
  /** `default` (Linux's /dev/watchdog), `testing` (the acceptance suite's FIFO), or other. */
  readonly driver: string;
  /** null: the driver's default device (`/dev/watchdog`). */
  readonly device: string | null;
  /** Seconds between the watchdog firing and the leader key expiring; -1: half the ttl. */
  readonly safetyMargin: number;
  readonly ttl: number;
  readonly loopWait: number;
}

/** The `watchdog:` section as patroni.yml gives it (already validated). */
export interface WatchdogSection {
  readonly mode?: WatchdogMode | undefined;
  readonly device?: string | undefined;
  readonly safety_margin?: number | undefined;
  readonly driver?: string | undefined;
}

/**
 * Patroni 3.0.2 takes the watchdog only from the local configuration (a `watchdog` key in the
 * DCS `config` would crash its merge), with `mode: automatic` when the section is absent.
 */
export function watchdogSettings(
  section: WatchdogSection | null | undefined,
  timing: { readonly ttl: number; readonly loopWait: number },
): WatchdogSettings {
  return {
    mode: section?.mode ?? 'automatic',
    driver: section?.driver ?? 'default',
    device: section?.device ?? null,
    safetyMargin: section?.safety_margin ?? 5,
    ttl: timing.ttl,
    loopWait: timing.loopWait,
  };
}

/** The device timeout: the watchdog must fire before the leader key expires. */
export function watchdogTimeout(s: WatchdogSettings): number {
  return s.safetyMargin === -1 ? Math.floor(s.ttl / 2) : s.ttl - s.safetyMargin;
}

/** Seconds a cycle may overrun loop_wait before the watchdog fires; negative is unsafe. */
export function timingSlack(s: WatchdogSettings): number {
  return watchdogTimeout(s) - s.loopWait;
}

/** The device part of the settings changed: a new device object is needed. */
export function sameDevice(a: WatchdogSettings, b: WatchdogSettings): boolean {
  return a.driver === b.driver && a.device === b.device;
}

export function sameSettings(a: WatchdogSettings, b: WatchdogSettings): boolean {
  return (
    sameDevice(a, b) &&
    a.mode === b.mode &&
    a.safetyMargin === b.safetyMargin &&
    a.ttl === b.ttl &&
    a.loopWait === b.loopWait
  );
}
