import type { Json } from '../../history/operation.js';

/** Thrown by the conversion; the caller adds file and line. */
export class EdnShapeError extends Error {}

export function isKeyword(value: unknown): value is { key: string } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { key?: unknown }).key === 'string' && Object.keys(value).length === 1;
}

export function isEdnMap(value: unknown): value is { map: [unknown, unknown][] } {
  return typeof value === 'object' && value !== null && Array.isArray((value as { map?: unknown }).map) && Object.keys(value).length === 1;
}

/**
 * Converts a value read by edn-data (default options: maps as {map}, keywords as {key}, sets as
 * {set}, lists as {list}) to JSON. Keywords become strings with their colon (`:timed-out`) so
 * they stay distinguishable from strings; sets become sorted arrays.
 */
export function ednToJson(value: unknown): Json {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new EdnShapeError(`number ${value} is not finite`);
    return value;
  }
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) throw new EdnShapeError(`integer ${value} is too large`);
    return Number(value);
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(ednToJson);
  if (typeof value !== 'object') throw new EdnShapeError(`unsupported value ${String(value)}`);
  const record = value as Record<string, unknown>;
  if (isKeyword(value)) return ':' + value.key;
  if (Array.isArray(record.list)) return (record.list as unknown[]).map(ednToJson);
  if (Array.isArray(record.set)) return (record.set as unknown[]).map(ednToJson).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  if (isEdnMap(value)) {
    const object: { [key: string]: Json } = {};
    for (const [key, entry] of value.map) object[ednKeyName(key)] = ednToJson(entry);
    return object;
  }
  if (typeof record.char === 'string') return record.char;
  if (typeof record.sym === 'string') return record.sym;
  if (typeof record.tag === 'string') throw new EdnShapeError(`unsupported tag #${record.tag}`);
  throw new EdnShapeError(`unsupported value ${JSON.stringify(value)}`);
}

/** A map key as a JSON object key: keywords lose their colon, everything else is its text. */
export function ednKeyName(key: unknown): string {
  if (isKeyword(key)) return key.key;
  if (typeof key === 'string') return key;
  return JSON.stringify(ednToJson(key));
}
