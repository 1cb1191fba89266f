/**
 * Versions. Peers, patronictl and tools read Patroni's version from member keys, `GET /patroni`
 * and `patroni --version`; 3.0.2 peers and scripts must see the version whose behaviour we copy.
 * Our own release is shown only where nothing parses it (README, `--version` second line is not
 * used: the output stays exactly `patroni 3.0.2`).
 */
export const PATRONI_COMPAT_VERSION = '3.0.2';

/** patroni-ts's own release (package.json). */
export const PATRONI_TS_VERSION = '0.1.0';
