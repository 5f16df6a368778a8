/**
 * What a protocol hands to the world (a message it sends, a value it persists) stops being its
 * own: the network may deliver it twice, and the disk keeps it across a crash. Sharing it by
 * reference would let a later mutation rewrite the "disk" and every copy in flight, both copies
 * of a duplicate included, and hide exactly the durability bugs the simulator exists to find.
 *
 * So the host freezes it, deeply, as it is handed over: a later write to it throws a TypeError in
 * the protocol's handler (every ES module is strict code), which fails the run with its seed.
 * The receiver gets the same frozen value, so it cannot change what a duplicate will carry.
 * Freezing instead of copying costs one pass over the new parts only: a subtree already frozen
 * (a log entry sent before, or persisted) is skipped, so resending entries costs nothing.
 *
 * Cost: on raft-bench (CPU time, side by side with the build before) the deep freeze costs about
 * 15% of a run, and even freezing only the message itself 5-10%; a deep copy would cost more. So
 * the built-in protocols, which the test suite runs with the deep freeze on (every scenario and
 * seed it runs), hand over without any freeze outside the tests. Every other protocol (one loaded
 * with `--import`) always gets the deep freeze; so does any run with FAULTLINE_DEEP_FREEZE=1.
 * See `deepFreezeFor`.
 *
 * Protocols that need to keep changing something they sent send a copy (`log.slice()`).
 * `Map` and `Set` contents are not frozen (and are not JSON): keep them out of messages.
 */
export function freezeHandedOver<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) freezeObject(value as object);
  return value;
}

function freezeObject(value: object): void {
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      if (typeof item === 'object' && item !== null && !Object.isFrozen(item)) freezeObject(item);
    }
    return;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    if (typeof item === 'object' && item !== null && !Object.isFrozen(item)) freezeObject(item);
  }
}

/** Protocols whose hand-over discipline the test suite proves under the deep freeze. */
const provenByTests = new WeakSet<object>();

/** Called by the registry for the built-in protocols (src/protocols/registry.ts). */
export function markProvenByTests(protocol: object): void {
  provenByTests.add(protocol);
}

/**
 * Whether the host freezes what `protocol` hands over deeply: always, except for a built-in
 * protocol outside the test suite (`deepEverywhere` false).
 */
export function deepFreezeFor(protocol: object, deepEverywhere: boolean): boolean {
  return deepEverywhere || !provenByTests.has(protocol);
}
