/**
 * Bundles the compiled executables (dist/cli/patroni.js, patronictl.js: tsc's output) into one
 * ESM file each under dist/bundle/cli/, which bin/patroni and bin/patronictl run when present.
 * Loading ~600 module files took most of a daemon's start-up; one file cuts it (see
 * bench/startup.ts). Run after tsc: `node --import tsx scripts/bundle.ts` (`make build` does).
 *
 * dist/bundle/cli sits three levels below the package root, as dist/api/dashboard does, so that
 * paths the code computes from import.meta.dirname (the dashboard's web/ files) still resolve.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
export const BUNDLE_DIR = join(ROOT, 'dist', 'bundle', 'cli');

/**
 * Loaded with require() at run time, never bundled: koffi and unix-dgram are native addons
 * (loaded through createRequire when a watchdog or systemd needs them); pg-native is pg's
 * optional native driver, which we do not install.
 */
const EXTERNAL = ['koffi', 'unix-dgram', 'pg-native'];

/**
 * pg's lib/stream.js asks at load time whether it runs on Cloudflare Workers; on Node 20 (no
 * `navigator`) it builds a `new Response()` to find out, which loads Node's whole fetch stack
 * (undici): a fifth of the daemon's start-up CPU, for a runtime we never run on. The bundle
 * answers "no" there. The build fails if pg changes that code, so the patch cannot go stale.
 */
const pgNodeOnly: Plugin = {
  name: 'pg-node-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]pg[\\/]lib[\\/]stream\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const probe = 'if (isCloudflareRuntime()) {';
      if (!text.includes(probe)) {
        throw new Error(`${args.path}: "${probe}" not found; revisit the pg-node-only patch`);
      }
      return { contents: text.replace(probe, 'if (false) {'), loader: 'js' };
    });
  },
};

export async function bundle(): Promise<void> {
  await build({
    entryPoints: [join(ROOT, 'dist/cli/patroni.js'), join(ROOT, 'dist/cli/patronictl.js')],
    outdir: BUNDLE_DIR,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: EXTERNAL,
    plugins: [pgNodeOnly],
    // The CommonJS dependencies (pg, node-zookeeper-client, prom-client) call require() for
    // Node's own modules; an ES module has no `require`, so the bundle makes one.
    banner: {
      js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await bundle();
}
