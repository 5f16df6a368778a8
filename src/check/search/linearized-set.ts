import { assert } from '../../util/assert.js';

/**
 * The set of linearized operations as a bitset in a Uint32Array, with an incremental Zobrist
 * hash and the window [frontierWord, topWord] of the determinate region that is neither all ones
 * nor all zeros. Determinate operations occupy indices [0, determinateCount); indeterminate ones
 * start at the next word boundary, so that operations that may never be linearized do not hold
 * the frontier back. The memo stores only the window and the indeterminate words, which keeps
 * entries small however long the history is (the effect of splitting at quiescent points).
 */
export class LinearizedSet {
  readonly words: Uint32Array;
  /** Words holding determinate operations. */
  readonly determinateWords: number;
  hash = 0;
  /** First determinate word that is not all ones. */
  frontierWord = 0;
  /** Last determinate word that is not all zeros, or -1. */
  topWord = -1;

  constructor(
    determinateCount: number,
    indeterminateCount: number,
    private readonly keys: Int32Array,
  ) {
    this.determinateWords = Math.ceil(determinateCount / 32);
    this.words = new Uint32Array(this.determinateWords + Math.ceil(indeterminateCount / 32));
  }

  has(index: number): boolean {
    return ((this.words[index >>> 5] as number) & (1 << (index & 31))) !== 0;
  }

  add(index: number): void {
    const word = index >>> 5;
    const bit = 1 << (index & 31);
    assert(((this.words[word] as number) & bit) === 0, 'operation linearized twice');
    this.words[word] = (this.words[word] as number) | bit;
    this.hash ^= this.keys[index] as number;
    if (word >= this.determinateWords) return;
    if (word > this.topWord) this.topWord = word;
    while (this.frontierWord < this.determinateWords && this.words[this.frontierWord] === 0xffffffff) this.frontierWord++;
  }

  remove(index: number): void {
    const word = index >>> 5;
    const bit = 1 << (index & 31);
    assert(((this.words[word] as number) & bit) !== 0, 'operation undone without being linearized');
    this.words[word] = (this.words[word] as number) & ~bit;
    this.hash ^= this.keys[index] as number;
    if (word >= this.determinateWords) return;
    if (word < this.frontierWord) this.frontierWord = word;
    while (this.topWord >= 0 && this.words[this.topWord] === 0) this.topWord--;
  }
}
