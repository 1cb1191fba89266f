import { spawnSync } from 'node:child_process';
import { after, before } from 'node:test';
import { startEtcd, type EtcdHandle } from './etcd.js';
import { makeTestPki, type TestPki } from './etcd-tls.js';
import { makeTempDir, removeTempDir } from './tmpdir.js';

/** The PKI is made with openssl; without it (not in ensure-deps) a TLS test file is skipped. */
export const NO_OPENSSL = spawnSync('openssl', ['version']).status !== 0;

/** The etcd and PKI of a TLS test file, there between its before() and after(). */
export interface TlsEtcd {
  readonly etcd: EtcdHandle;
  readonly pki: TestPki;
}

/**
 * Registers before()/after() that run one etcd serving TLS only and demanding client
 * certificates, with a throw-away PKI; nothing when openssl is missing (`NO_OPENSSL`).
 */
export function useTlsEtcd(options: { readonly enableV2?: boolean } = {}): TlsEtcd {
  let dir = '';
  let pki: TestPki | null = null;
  let etcd: EtcdHandle | null = null;
  before(async () => {
    if (NO_OPENSSL) return;
    dir = await makeTempDir('patroni-ts-pki-');
    pki = await makeTestPki(dir);
    etcd = await startEtcd({
      ...(options.enableV2 === true ? { enableV2: true } : {}),
      tls: {
        caFile: pki.caFile,
        certFile: pki.serverCert,
        keyFile: pki.serverKey,
        clientCertAuth: { certFile: pki.clientCert, keyFile: pki.clientKey },
      },
    });
  });
  after(async () => {
    await etcd?.destroy();
    if (dir !== '') await removeTempDir(dir);
  });
  const running = <T>(v: T | null): T => {
    if (v === null) throw new Error('the TLS etcd is not running');
    return v;
  };
  return {
    get etcd() {
      return running(etcd);
    },
    get pki() {
      return running(pki);
    },
  };
}
