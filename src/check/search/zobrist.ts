/**
 * Deterministic pseudo-random 32-bit keys, one per operation, so that the hash of the set of
 * linearized operations is updated in O(1) by XOR when an operation is linearized or undone.
 * A fixed splitmix32 sequence: the checker uses no ambient randomness.
 */
export function zobristKeys(count: number): Int32Array {
  const keys = new Int32Array(count);
  let seed = 0x9e3779b9 | 0;
  for (let index = 0; index < count; index++) {
    seed = (seed + 0x9e3779b9) | 0;
    let value = seed;
    value = Math.imul(value ^ (value >>> 16), 0x85ebca6b);
    value = Math.imul(value ^ (value >>> 13), 0xc2b2ae35);
    keys[index] = value ^ (value >>> 16);
  }
  return keys;
}
