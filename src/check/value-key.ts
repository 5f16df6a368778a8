import type { Json } from '../history/operation.js';

/**
 * A canonical string for a JSON value: equal values give equal strings (object keys sorted), so
 * models can compare and hash values as strings.
 */
export function valueKey(value: Json): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return '[' + value.map(valueKey).join(',') + ']';
  const keys = Object.keys(value).sort();
  return '{' + keys.map((key) => JSON.stringify(key) + ':' + valueKey(value[key] as Json)).join(',') + '}';
}

/** FNV-1a over UTF-16 code units: a fast 32-bit string hash for model states. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

/** Mixes a 32-bit value (murmur3 finaliser) so that small integers spread over the table. */
export function mix32(value: number): number {
  let hash = value | 0;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash | 0;
}

export function isScalar(value: Json): value is string | number | boolean | null {
  return value === null || typeof value !== 'object';
}
