export { primaryBackupProtocol } from './protocol.js';
export type { PbState } from './state.js';
export type { PbMessage } from './messages.js';
export type { PbOptions } from './options.js';
export type { Entry } from './messages.js';
export type { PbTimer } from './declarations.js';
export { renderPbMessage } from './messages.js';
export { pbRole, renderPbEntry, renderPbState } from './render.js';
