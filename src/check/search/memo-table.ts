import type { AnyModel } from '../model.js';
import { assert } from '../../util/assert.js';
import type { MemoryBudget } from '../budget.js';
import type { LinearizedSet } from './linearized-set.js';

/**
 * Words of the arena's first chunk (64 KiB) and of its largest (4 MiB): chunks double up to
 * that, so a small search allocates little, and the arena grows a chunk at a time, never by
 * copying.
 */
const chunkWordsFirst = 1 << 14;
const chunkWordsMax = 1 << 20;
/** Bytes of one element of a JS array of references (Node 20 builds have no pointer compression). */
const referenceBytes = 8;

/**
 * The memo of configurations already explored: (linearized set, model state, context). Open
 * addressing over typed arrays; the sets are stored compactly (see LinearizedSet) in an
 * append-only arena of fixed-size Uint32Array chunks, so a lookup allocates nothing, an insert
 * only grows arrays, and growing the arena never copies it (a doubling copy held the old and the
 * new arena at once: 768 MiB at the step from 256 to 512).
 * The context is the last linearized operation and the state before it when that operation was
 * indeterminate: the search restricts what may follow such an operation, so those
 * configurations must not be confused with unrestricted ones.
 *
 * Every allocation is asked of the memory budget first, with its real size: the typed arrays,
 * the JS arrays of state references (V8 grows them by half plus 16 slots, and the old backing
 * store stays alive until collected), and an estimate of each state's own size.
 * `seenOrAdd` answers `overBudget` instead of recording when the budget says no.
 */
export class MemoTable {
  private slots: Int32Array;
  private mask: number;
  private entryHash: Int32Array;
  /** Offset of each entry's snapshot in its chunk, and the chunk. */
  private entryOffset: Uint32Array;
  private entryChunk: Uint16Array;
  private entryContext: Int32Array;
  private readonly entryState: unknown[] = [];
  private readonly entryContextState: unknown[] = [];
  /** The capacity V8 has given the two arrays above, mirrored to count their growth. */
  private referenceCapacity = 0;
  private readonly chunks: Uint32Array[] = [];
  /** Words a snapshot can need at most: a chunk is never smaller. */
  private readonly snapshotWordsMax: number;
  /** Words used in the last chunk. */
  private chunkUsed = 0;
  /** Bytes this table holds, as counted (released from the budget by `release`). */
  private heldBytes = 0;
  count = 0;

  constructor(
    private readonly model: AnyModel,
    private readonly budget: MemoryBudget,
    /** The largest snapshot a set can need: 2 header words plus every word of the set. */
    snapshotWordsMax: number,
  ) {
    this.snapshotWordsMax = snapshotWordsMax;
    this.slots = new Int32Array(1024);
    this.mask = 1023;
    this.entryHash = new Int32Array(512);
    this.entryOffset = new Uint32Array(512);
    this.entryChunk = new Uint16Array(512);
    this.entryContext = new Int32Array(512);
    this.count = 0;
    this.take(this.slots.byteLength + 3 * this.entryHash.byteLength + this.entryChunk.byteLength);
  }

  /** Bytes held (typed arrays, state references, the states' own size), as counted. */
  bytes(): number {
    return this.heldBytes;
  }

  /** Gives back to the budget what this table held (it is garbage once the search returns). */
  release(): void {
    this.budget.release(this.heldBytes);
    this.heldBytes = 0;
  }

  /**
   * `seen` if the configuration was seen before; otherwise records it (`added`), or records
   * nothing when that would exceed the memory budget (`overBudget`).
   * `contextOperation` is -1 when the last linearized operation was determinate.
   */
  seenOrAdd(set: LinearizedSet, state: unknown, stateHash: number, contextOperation: number, contextState: unknown, contextHash: number): MemoAnswer {
    const hash = combine(set.hash, stateHash, contextOperation, contextHash);
    let slot = hash & this.mask;
    for (;;) {
      const entry = (this.slots[slot] as number) - 1;
      if (entry < 0) break;
      if (this.entryHash[entry] === hash && this.matches(entry, set, state, contextOperation, contextState)) return 'seen';
      slot = (slot + 1) & this.mask;
    }
    if (!this.reserve(set, state)) return 'overBudget';
    this.insert(slot, hash, set, state, contextOperation, contextState);
    return 'added';
  }

  private matches(entry: number, set: LinearizedSet, state: unknown, contextOperation: number, contextState: unknown): boolean {
    if (this.entryContext[entry] !== contextOperation) return false;
    const arena = this.chunks[this.entryChunk[entry] as number] as Uint32Array;
    let offset = this.entryOffset[entry] as number;
    if (arena[offset] !== set.frontierWord || (arena[offset + 1] as number) !== (set.topWord + 1)) return false;
    offset += 2;
    const words = set.words;
    for (let word = set.frontierWord; word <= set.topWord; word++) if (arena[offset++] !== words[word]) return false;
    for (let word = set.determinateWords; word < words.length; word++) if (arena[offset++] !== words[word]) return false;
    if (!this.model.equal(this.entryState[entry], state)) return false;
    return contextOperation < 0 || this.model.equal(this.entryContextState[entry], contextState);
  }

  /**
   * Asks the budget for everything the next insert allocates, and takes it; false (nothing
   * taken) when the budget says no. An array that grows is replaced: the new one is asked for
   * while the old one is still held (both exist until the old one is collected), and the old
   * one is then released, so that what is held is what the table now uses.
   */
  private reserve(set: LinearizedSet, state: unknown): boolean {
    let bytes = approximateBytes(state);
    let replaced = 0;
    const entry = this.count;
    if (entry + 1 > this.entryHash.length) {
      bytes += (3 * 4 + 2) * 2 * this.entryHash.length;
      replaced += (3 * 4 + 2) * this.entryHash.length;
    }
    if (entry + 1 > this.referenceCapacity) {
      bytes += 2 * referenceBytes * nextReferenceCapacity(this.referenceCapacity);
      replaced += 2 * referenceBytes * this.referenceCapacity;
    }
    if ((entry + 1) * 2 > this.slots.length) {
      bytes += 2 * this.slots.byteLength;
      replaced += this.slots.byteLength;
    }
    if (this.needsChunk(snapshotWords(set))) bytes += 4 * this.nextChunkWords();
    if (!this.budget.allows(bytes)) return false;
    this.take(bytes);
    this.budget.release(replaced);
    this.heldBytes -= replaced;
    return true;
  }

  private take(bytes: number): void {
    this.budget.allocate(bytes);
    this.heldBytes += bytes;
  }

  private insert(slot: number, hash: number, set: LinearizedSet, state: unknown, contextOperation: number, contextState: unknown): void {
    const entry = this.count++;
    this.ensureEntryCapacity(entry + 1);
    this.entryHash[entry] = hash;
    this.entryContext[entry] = contextOperation;
    if (entry + 1 > this.referenceCapacity) this.referenceCapacity = nextReferenceCapacity(this.referenceCapacity);
    this.entryState.push(state);
    this.entryContextState.push(contextState);
    this.appendSnapshot(entry, set);
    this.slots[slot] = entry + 1;
    if (this.count * 2 > this.slots.length) this.rehash();
  }

  private needsChunk(size: number): boolean {
    const last = this.chunks[this.chunks.length - 1];
    return last === undefined || this.chunkUsed + size > last.length;
  }

  private nextChunkWords(): number {
    const last = this.chunks[this.chunks.length - 1];
    const doubled = last === undefined ? chunkWordsFirst : Math.min(chunkWordsMax, 2 * last.length);
    return Math.max(doubled, this.snapshotWordsMax);
  }

  /** Copies the set's snapshot into the arena and records where it is. */
  private appendSnapshot(entry: number, set: LinearizedSet): void {
    if (this.needsChunk(snapshotWords(set))) {
      assert(this.chunks.length < 0xffff, 'memo arena beyond 65,535 chunks');
      this.chunks.push(new Uint32Array(this.nextChunkWords()));
      this.chunkUsed = 0;
    }
    const arena = this.chunks[this.chunks.length - 1] as Uint32Array;
    let offset = this.chunkUsed;
    this.entryChunk[entry] = this.chunks.length - 1;
    this.entryOffset[entry] = offset;
    arena[offset] = set.frontierWord;
    arena[offset + 1] = set.topWord + 1;
    offset += 2;
    for (let word = set.frontierWord; word <= set.topWord; word++) arena[offset++] = set.words[word] as number;
    for (let word = set.determinateWords; word < set.words.length; word++) arena[offset++] = set.words[word] as number;
    this.chunkUsed = offset;
  }

  private ensureEntryCapacity(needed: number): void {
    if (needed <= this.entryHash.length) return;
    const capacity = this.entryHash.length * 2;
    this.entryHash = grow(this.entryHash, capacity);
    this.entryOffset = growUnsigned(this.entryOffset, capacity);
    const chunk = new Uint16Array(capacity);
    chunk.set(this.entryChunk);
    this.entryChunk = chunk;
    this.entryContext = grow(this.entryContext, capacity);
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let entry = 0; entry < this.count; entry++) {
      let slot = (this.entryHash[entry] as number) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = entry + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

export type MemoAnswer = 'seen' | 'added' | 'overBudget';

/** Words a set's snapshot takes in the arena: two header words, the window, the indeterminate words. */
function snapshotWords(set: LinearizedSet): number {
  return 2 + Math.max(0, set.topWord - set.frontierWord + 1) + (set.words.length - set.determinateWords);
}

/** V8's growth of a JS array's backing store when a push finds it full: half again, plus 16. */
function nextReferenceCapacity(capacity: number): number {
  return capacity + (capacity >> 1) + 16;
}

function growUnsigned(array: Uint32Array, capacity: number): Uint32Array {
  const grown = new Uint32Array(capacity);
  grown.set(array);
  return grown;
}

function grow(array: Int32Array, capacity: number): Int32Array {
  const grown = new Int32Array(capacity);
  grown.set(array);
  return grown;
}

function combine(setHash: number, stateHash: number, contextOperation: number, contextHash: number): number {
  let hash = setHash ^ Math.imul(stateHash, 0x9e3779b1);
  hash ^= Math.imul(contextOperation + 1, 0x85ebca6b) ^ Math.imul(contextHash, 0xc2b2ae35);
  hash ^= hash >>> 15;
  hash = Math.imul(hash, 0x2c1b3c6d);
  return (hash ^ (hash >>> 12)) | 0;
}

/**
 * A rough size of a state kept alive by the memo: strings and arrays dominate. States built by
 * appending share structure (V8 ropes), so this over-counts them, which errs on the safe side.
 */
function approximateBytes(state: unknown): number {
  if (typeof state === 'string') return 16 + state.length;
  if (Array.isArray(state)) return 16 + state.length * 8;
  if (typeof state === 'object' && state !== null && typeof (state as { text?: unknown }).text === 'string') return 32 + (state as { text: string }).text.length;
  return 0;
}
