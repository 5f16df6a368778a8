export { primaryBackupProtocol } from './protocol.js';
export type { PbState } from './state.js';
export type { PbMessage } from './messages.js';
export type { PbOptions } from './options.js';
