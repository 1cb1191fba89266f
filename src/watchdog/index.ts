import type { WatchdogDevice } from './device.js';
import { DEFAULT_DEVICE, LinuxWatchdogDevice } from './linux.js';
import type { WatchdogSettings } from './settings.js';
import { TestingWatchdogDevice } from './testing.js';

export { WatchdogError, type WatchdogDevice } from './device.js';
export { Watchdog, type DeviceFactory } from './watchdog.js';
export {
  watchdogSettings,
  watchdogTimeout,
  type WatchdogSection,
  type WatchdogSettings,
} from './settings.js';

/**
 * The device of a driver (`WatchdogConfig.get_impl`): `testing` is the acceptance suite's FIFO,
 * `default` is Linux's /dev/watchdog; anything else has no device here (null).
 */
export function createWatchdogDevice(
  s: WatchdogSettings,
  platform: NodeJS.Platform = process.platform,
): WatchdogDevice | null {
  const device = s.device ?? DEFAULT_DEVICE;
  if (s.driver === 'testing') return new TestingWatchdogDevice(device);
  if (platform === 'linux' && s.driver === 'default') return new LinuxWatchdogDevice(device);
  return null;
}
