/** The library API of faultline. The CLI is a thin layer over what is exported here. */
export * from './random/random-stream.js';
export * from './sim/time.js';
export * from './history/operation.js';
export * from './protocol/client-types.js';
export * from './protocol/effects.js';
export * from './protocol/protocol.js';
export * from './protocol/context.js';
export * from './invariants/observer.js';
export * from './util/errors.js';
export { assert, AssertionFailure } from './util/assert.js';
