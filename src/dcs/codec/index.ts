export * from './paths.js';
export * from './json.js';
export * from './roles.js';
export * from './tags.js';
export * from './member.js';
export * from './values.js';
export * from './snapshot.js';
