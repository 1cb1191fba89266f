/**
 * Versions. Peers, patronictl and tools read Patroni's version from member keys, `GET /patroni`
 * (`patroni.version`) and `patroni --version` (the second word); 3.0.2 peers and scripts must see
 * the version whose behaviour we copy there. Our own release is said after it, where parsers
 * stop reading: `patroni 3.0.2 (patroni-ts 0.1.0)`, and a field of its own in `GET /patroni`.
 */
export const PATRONI_COMPAT_VERSION = '3.0.2';

/** patroni-ts's own release (package.json). */
export const PATRONI_TS_VERSION = '0.1.0';

/** The name we run under, beside the Patroni version we copy. */
export const IMPLEMENTATION_NAME = 'patroni-ts';

/** `patroni --version`: Patroni's `patroni 3.0.2`, then which implementation runs. */
export function versionLine(): string {
  return `patroni ${PATRONI_COMPAT_VERSION} (${IMPLEMENTATION_NAME} ${PATRONI_TS_VERSION})`;
}

/** The extra `GET /patroni` field naming the implementation (Patroni's fields unchanged). */
export function implementationJson(): { name: string; version: string } {
  return { name: IMPLEMENTATION_NAME, version: PATRONI_TS_VERSION };
}
