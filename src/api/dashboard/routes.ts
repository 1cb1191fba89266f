import { json, text, type Reply } from '../reply.js';
import type { Route } from '../route.js';
import { PAGE_HEADERS, type AssetStore } from './assets.js';
import type { DashboardHub } from './hub.js';
import { SSE_HEADERS } from './sse.js';

/**
 * `GET /dashboard[/...]`: the page and its files, `/dashboard/state` (JSON) and
 * `/dashboard/events` (the live stream). Only when `restapi.dashboard` is on, and behind the same
 * checks as Patroni's unsafe endpoints (allowlist, client certificate, Basic auth): the page
 * shows the journal and can start a switchover.
 */
export function dashboardRoutes(hub: DashboardHub, assets: AssetStore): readonly Route[] {
  return [
    {
      method: 'GET',
      segment: 'dashboard',
      unsafe: true,
      body: 'none',
      enabled: (options) => options.dashboard === true,
      handle: ({ path }) => serve(path, hub, assets),
    },
  ];
}

async function serve(path: string, hub: DashboardHub, assets: AssetStore): Promise<Reply> {
  const rest = path.replace(/^\/+dashboard\/*/, '');
  if (rest === 'events') {
    return {
      kind: 'stream',
      status: 200,
      headers: SSE_HEADERS,
      start: (sink) => {
        hub.attach(sink);
      },
    };
  }
  if (rest === 'state') return json(200, hub.state());
  const asset = assets.get(rest === '' ? 'index.html' : rest);
  if (asset === null) return text(404, 'no such dashboard file', PAGE_HEADERS);
  const { body, contentType } = await asset;
  return { kind: 'text', status: 200, text: body, contentType, headers: PAGE_HEADERS };
}
