export { failoverProtocol } from './protocol.js';
export type { FailoverState } from './state.js';
export type { FailoverMessage } from './messages.js';
export type { FailoverOptions } from './options.js';
