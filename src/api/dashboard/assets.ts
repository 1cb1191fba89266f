import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The page's static files: plain HTML, CSS and JavaScript in `web/dashboard/` of the package,
 * served as they are (no build step). This module sits three levels under the package root both
 * as source (src/api/dashboard) and compiled (dist/api/dashboard), so one relative path serves both.
 */
export const ASSET_DIR = join(import.meta.dirname, '..', '..', '..', 'web', 'dashboard');

/** The only files served, by name: nothing else under the directory is reachable. */
const TYPES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
  'dashboard.js': 'text/javascript; charset=utf-8',
};

export const ASSET_NAMES: readonly string[] = Object.keys(TYPES);

export interface Asset {
  readonly body: string;
  readonly contentType: string;
}

/**
 * Reads each file once, on first request: the files change only with the package. A failed read
 * is not cached, so a fixed installation serves without a restart.
 */
export class AssetStore {
  private readonly cache = new Map<string, Promise<Asset>>();

  constructor(private readonly dir: string = ASSET_DIR) {}

  /** The named asset, or null when no such asset is served. */
  get(name: string): Promise<Asset> | null {
    const contentType = TYPES[name];
    if (contentType === undefined) return null;
    let hit = this.cache.get(name);
    if (hit === undefined) {
      hit = readFile(join(this.dir, name), 'utf8').then((body) => ({ body, contentType }));
      hit.catch(() => this.cache.delete(name));
      this.cache.set(name, hit);
    }
    return hit;
  }
}

/**
 * Headers of every dashboard page and file: only our own origin's scripts, styles and
 * connections; no framing by other sites (the page has a switchover button); no referrer.
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
    "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};
