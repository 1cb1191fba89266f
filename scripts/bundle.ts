/**
 * Bundles the compiled executables (dist/cli/patroni.js, patronictl.js: tsc's output) into
 * dist/bundle/cli/, which bin/patroni and bin/patronictl run when present: one ESM file per
 * executable plus the chunks esbuild splits off at dynamic imports (the daemon's modules, which
 * `patroni --version` never reads) and for code both share. Loading ~600 module files took most
 * of a daemon's start-up; a handful of files cuts it (see bench/startup.ts). Run after tsc:
 * `node --import tsx scripts/bundle.ts` (`make build` and prepack do).
 *
 * Entries and chunks sit together in dist/bundle/cli, three levels below the package root as
 * dist/api/dashboard is, so paths the code computes from import.meta.dirname (the dashboard's
 * web/ files) resolve the same from any of them.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
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
  const result = await build({
    absWorkingDir: ROOT,
    metafile: true,
    entryPoints: [join(ROOT, 'dist/cli/patroni.js'), join(ROOT, 'dist/cli/patronictl.js')],
    outdir: BUNDLE_DIR,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    splitting: true,
    chunkNames: '[name]-[hash]',
    external: EXTERNAL,
    plugins: [pgNodeOnly],
    // The CommonJS dependencies (pg, node-zookeeper-client, prom-client) call require() for
    // Node's own modules; an ES module has no `require`, so the bundle makes one.
    banner: {
      js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
    },
    // Maps back to src/*.ts (through tsc's maps) for `NODE_OPTIONS=--enable-source-maps`, when a
    // stack trace must name our files. Not on by default: Node then parses the maps at start-up,
    // +150 ms of CPU for --version (bench/startup.ts); without the flag they cost nothing.
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
  });
  // Chunk names carry a hash: drop the last build's leftovers, or the directory only grows.
  // (Removed after the build, not before, so a daemon starting meanwhile finds its files.)
  const fresh = new Set(Object.keys(result.metafile.outputs).map((f) => resolve(ROOT, f)));
  for (const name of await readdir(BUNDLE_DIR)) {
    const path = join(BUNDLE_DIR, name);
    if (!fresh.has(path)) await rm(path, { force: true });
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await bundle();
}
