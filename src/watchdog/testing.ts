import { constants } from 'node:fs';
import { WatchdogError, fsErrorText } from './device.js';
import { WDIOF } from './ioctl.js';
import { LinuxWatchdogDevice, type WatchdogInfo } from './linux.js';

/**
 * Patroni's `testing` driver, which its acceptance suite uses: the device is a FIFO read by the
 * test, so the timeout ioctls become writes (`Ctimeout=<N>\n`); pings (`1`) and the magic close
 * (`V`) are the Linux device's own. Unlike Patroni we open the FIFO without blocking: with no
 * reader the open fails at once (ENXIO) instead of hanging the HA loop.
 */
export class TestingWatchdogDevice extends LinuxWatchdogDevice {
  private timeout = 60;

  protected override openFlags(): number {
    return constants.O_WRONLY | constants.O_NONBLOCK;
  }

  override getSupport(): WatchdogInfo {
    const options = WDIOF.MAGICCLOSE | WDIOF.SETTIMEOUT;
    return { options, firmwareVersion: 0, identity: 'Watchdog test harness' };
  }

  override setTimeout(seconds: number): void {
    try {
      this.write(`Ctimeout=${seconds}\n`);
    } catch (err) {
      throw new WatchdogError(`Could not set timeout on watchdog device: ${fsErrorText(err)}`);
    }
    this.timeout = seconds;
  }

  override getTimeout(): number {
    return this.timeout;
  }
}
