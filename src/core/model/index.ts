export * from './lsn.js';
export * from './tags.js';
export * from './member.js';
export * from './cluster.js';
export * from './local-pg.js';
export * from './settings.js';
