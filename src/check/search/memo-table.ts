import type { AnyModel } from '../model.js';
import type { LinearizedSet } from './linearized-set.js';

/**
 * The memo of configurations already explored: (linearized set, model state, context). Open
 * addressing over typed arrays; the sets are stored compactly (see LinearizedSet) in one
 * append-only Uint32Array arena, so a lookup allocates nothing and an insert only grows arrays.
 * The context is the last linearized operation and the state before it when that operation was
 * indeterminate: the search restricts what may follow such an operation, so those
 * configurations must not be confused with unrestricted ones.
 */
export class MemoTable {
  private slots: Int32Array;
  private mask: number;
  private entryHash: Int32Array;
  private entryOffset: Int32Array;
  private entryContext: Int32Array;
  private readonly entryState: unknown[] = [];
  private readonly entryContextState: unknown[] = [];
  private arena: Uint32Array;
  private arenaLength = 0;
  /** Bytes held, kept up to date on every growth so the budget check is O(1). */
  private heldBytes = 0;
  count = 0;

  constructor(private readonly model: AnyModel) {
    this.slots = new Int32Array(1024);
    this.mask = 1023;
    this.entryHash = new Int32Array(512);
    this.entryOffset = new Int32Array(512);
    this.entryContext = new Int32Array(512);
    this.arena = new Uint32Array(4096);
    this.heldBytes = this.slots.byteLength + 3 * this.entryHash.byteLength + this.arena.byteLength;
  }

  /** Approximate bytes held (typed arrays, state references, the states' own size), for the memory budget. */
  bytes(): number {
    return this.heldBytes;
  }

  /**
   * True if the configuration was seen before; otherwise records it and returns false.
   * `contextOperation` is -1 when the last linearized operation was determinate.
   */
  seenOrAdd(set: LinearizedSet, state: unknown, stateHash: number, contextOperation: number, contextState: unknown, contextHash: number): boolean {
    const hash = combine(set.hash, stateHash, contextOperation, contextHash);
    let slot = hash & this.mask;
    for (;;) {
      const entry = (this.slots[slot] as number) - 1;
      if (entry < 0) break;
      if (this.entryHash[entry] === hash && this.matches(entry, set, state, contextOperation, contextState)) return true;
      slot = (slot + 1) & this.mask;
    }
    this.insert(slot, hash, set, state, contextOperation, contextState);
    return false;
  }

  private matches(entry: number, set: LinearizedSet, state: unknown, contextOperation: number, contextState: unknown): boolean {
    if (this.entryContext[entry] !== contextOperation) return false;
    let offset = this.entryOffset[entry] as number;
    const arena = this.arena;
    if (arena[offset] !== set.frontierWord || (arena[offset + 1] as number) !== (set.topWord + 1)) return false;
    offset += 2;
    const words = set.words;
    for (let word = set.frontierWord; word <= set.topWord; word++) if (arena[offset++] !== words[word]) return false;
    for (let word = set.determinateWords; word < words.length; word++) if (arena[offset++] !== words[word]) return false;
    if (!this.model.equal(this.entryState[entry], state)) return false;
    return contextOperation < 0 || this.model.equal(this.entryContextState[entry], contextState);
  }

  private insert(slot: number, hash: number, set: LinearizedSet, state: unknown, contextOperation: number, contextState: unknown): void {
    const entry = this.count++;
    this.ensureEntryCapacity(entry + 1);
    this.entryHash[entry] = hash;
    this.entryContext[entry] = contextOperation;
    this.entryState[entry] = state;
    this.entryContextState[entry] = contextState;
    this.entryOffset[entry] = this.appendSnapshot(set);
    this.heldBytes += 16 + approximateBytes(state);
    this.slots[slot] = entry + 1;
    if (this.count * 2 > this.slots.length) this.rehash();
  }

  private appendSnapshot(set: LinearizedSet): number {
    const window = Math.max(0, set.topWord - set.frontierWord + 1);
    const size = 2 + window + (set.words.length - set.determinateWords);
    if (this.arenaLength + size > this.arena.length) {
      const grown = new Uint32Array(Math.max(this.arena.length * 2, this.arenaLength + size));
      grown.set(this.arena.subarray(0, this.arenaLength));
      this.heldBytes += grown.byteLength - this.arena.byteLength;
      this.arena = grown;
    }
    const start = this.arenaLength;
    this.arena[start] = set.frontierWord;
    this.arena[start + 1] = set.topWord + 1;
    let offset = start + 2;
    for (let word = set.frontierWord; word <= set.topWord; word++) this.arena[offset++] = set.words[word] as number;
    for (let word = set.determinateWords; word < set.words.length; word++) this.arena[offset++] = set.words[word] as number;
    this.arenaLength = offset;
    return start;
  }

  private ensureEntryCapacity(needed: number): void {
    if (needed <= this.entryHash.length) return;
    const capacity = this.entryHash.length * 2;
    this.heldBytes += 3 * 4 * (capacity - this.entryHash.length);
    this.entryHash = grow(this.entryHash, capacity);
    this.entryOffset = grow(this.entryOffset, capacity);
    this.entryContext = grow(this.entryContext, capacity);
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    this.heldBytes += slots.byteLength - this.slots.byteLength;
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
