export { lockProtocol } from './protocol.js';
export type { LockState } from './state.js';
export type { LockMessage } from './messages.js';
export type { LockOptions } from './options.js';
