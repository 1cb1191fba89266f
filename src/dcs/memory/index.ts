export { MemoryStore, type MemoryClientOptions } from './memory-store.js';
