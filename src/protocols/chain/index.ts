export { chainProtocol } from './protocol.js';
export type { ChainState } from './state.js';
export type { ChainMessage } from './messages.js';
export type { ChainOptions } from './options.js';
