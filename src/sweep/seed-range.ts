import { InputError } from '../util/errors.js';

/** A contiguous range of seeds: `start`, `start + 1`, … `start + count - 1`. */
export interface SeedRange {
  start: number;
  count: number;
}

/** Shard `index` of `count` (1-based, as CI matrices number their jobs). */
export interface Shard {
  index: number;
  count: number;
}

export const WHOLE_RANGE: Shard = { index: 1, count: 1 };

/** Parses `--shard i/n`. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (match === null) throw new InputError(`expected --shard as i/n, e.g. 2/5 (got ${JSON.stringify(text)})`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index < 1 || index > count) throw new InputError(`expected --shard i/n with 1 ≤ i ≤ n (got ${text})`);
  return { index, count };
}

/**
 * The slice of `range` that shard `shard` runs: contiguous, disjoint from every other shard's,
 * and together they cover the range exactly once. Sizes differ by at most one seed; the first
 * `count % shards` shards take the extra seed. Depends on nothing but its arguments, so every
 * machine of a CI matrix computes the same split.
 */
export function shardRange(range: SeedRange, shard: Shard): SeedRange {
  const base = Math.floor(range.count / shard.count);
  const extra = range.count % shard.count;
  const before = shard.index - 1;
  const start = range.start + before * base + Math.min(before, extra);
  return { start, count: base + (before < extra ? 1 : 0) };
}

export function seedsOf(range: SeedRange): number[] {
  return Array.from({ length: range.count }, (_, offset) => range.start + offset);
}

export function describeShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}
