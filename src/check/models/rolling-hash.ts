/**
 * A polynomial rolling hash mod 2^32, so that the hash of a concatenation is computed from the
 * two parts: hash(a + b) = hash(a) * base^length(b) + hash(b). The kv model appends to long
 * strings; rehashing the whole string at every step would dominate the search.
 */
const base = 0x01000193;

export interface RollingHash {
  readonly hash: number;
  /** base^length, mod 2^32. */
  readonly power: number;
}

export function rollingHash(text: string): RollingHash {
  let hash = 0;
  let power = 1;
  for (let index = 0; index < text.length; index++) {
    hash = (Math.imul(hash, base) + text.charCodeAt(index)) | 0;
    power = Math.imul(power, base);
  }
  return { hash, power };
}

export function concatenatedHash(left: number, right: RollingHash): number {
  return (Math.imul(left, right.power) + right.hash) | 0;
}
