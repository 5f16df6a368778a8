export { twoPhaseCommitProtocol } from './protocol.js';
export type { TpcState } from './state.js';
export type { TpcMessage } from './messages.js';
export type { TpcOptions } from './options.js';
