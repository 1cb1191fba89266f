export { AssetStore, ASSET_DIR, ASSET_NAMES } from './assets.js';
export { DashboardHub, type HubOptions, type HubSource } from './hub.js';
export type { JournalFeed } from './journal-feed.js';
export { dashboardRoutes } from './routes.js';
export { dashboardState, type DashboardState } from './state.js';
