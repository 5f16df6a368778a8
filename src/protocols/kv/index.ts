/** The key-value service shared by every consensus protocol. */
export * from './operation.js';
export * from './store.js';
export * from './lock-table.js';
