import { fail } from '../../util/assert.js';
import type { Index, LogEntry, Term } from './messages.js';

/**
 * The in-memory Raft log: a snapshot offset and the entries after it. Index `offset` is the last
 * index covered by the snapshot (0 for none) and `offsetTerm` its term; `entries[0]` has index
 * `offset + 1`. Entries are shared by reference and never mutated.
 */
export class RaftLog {
  private entries: LogEntry[] = [];
  private offset: Index = 0;
  private offsetTerm: Term = 0;

  /** The last index covered by the snapshot (entries at or below it are compacted away). */
  get snapshotIndex(): Index {
    return this.offset;
  }

  get snapshotTerm(): Term {
    return this.offsetTerm;
  }

  get firstIndex(): Index {
    return this.offset + 1;
  }

  get lastIndex(): Index {
    return this.offset + this.entries.length;
  }

  get lastTerm(): Term {
    const length = this.entries.length;
    return length === 0 ? this.offsetTerm : (this.entries[length - 1] as LogEntry).term;
  }

  /** The term at `index`, or undefined when the index is compacted away or beyond the end. */
  term(index: Index): Term | undefined {
    if (index === this.offset) return this.offsetTerm;
    if (index < this.offset || index > this.lastIndex) return undefined;
    return (this.entries[index - this.offset - 1] as LogEntry).term;
  }

  /** The entry at `index`; the caller must know it is present. */
  entry(index: Index): LogEntry {
    if (index <= this.offset || index > this.lastIndex) fail(`log entry ${index} outside ${this.offset + 1}..${this.lastIndex}`);
    const entry = this.entries[index - this.offset - 1] as LogEntry;
    if (entry.index !== index) fail(`log entry at ${index} says it is ${entry.index}`);
    return entry;
  }

  /** Whether the log holds (index, term); indices inside the snapshot are committed, so they match. */
  matches(index: Index, term: Term): boolean {
    if (index < this.offset) return true;
    return this.term(index) === term;
  }

  /** Up to `maxCount` entries starting at `from` (a fresh array; the entries are shared). */
  slice(from: Index, maxCount: number): LogEntry[] {
    if (from <= this.offset) fail(`slice from ${from} reaches into the snapshot at ${this.offset}`);
    const start = from - this.offset - 1;
    return this.entries.slice(start, Math.min(this.entries.length, start + maxCount));
  }

  append(entry: LogEntry): void {
    if (entry.index !== this.lastIndex + 1) fail(`append of ${entry.index} after ${this.lastIndex}`);
    if (entry.term < this.lastTerm) fail(`append of term ${entry.term} after term ${this.lastTerm}`);
    this.entries.push(entry);
  }

  /** Drops every entry from `index` on (a conflict found by a follower). */
  truncateFrom(index: Index): void {
    if (index <= this.offset) fail(`truncation at ${index} reaches into the snapshot at ${this.offset}`);
    if (index > this.lastIndex) fail(`truncation at ${index} beyond the end ${this.lastIndex}`);
    this.entries.length = index - this.offset - 1;
  }

  /** Forgets entries up to `index`, now covered by a snapshot taken at (index, term). */
  compactTo(index: Index, term: Term): void {
    if (index <= this.offset || index > this.lastIndex) fail(`compaction to ${index} outside the log`);
    if (this.term(index) !== term) fail(`compaction to ${index}@${term} disagrees with the log`);
    this.entries = this.entries.slice(index - this.offset);
    this.offset = index;
    this.offsetTerm = term;
  }

  /** Replaces the whole log with a snapshot's origin (InstallSnapshot with no matching entry). */
  resetTo(index: Index, term: Term): void {
    if (index < 0 || term < 0) fail(`reset to ${index}@${term}`);
    this.entries = [];
    this.offset = index;
    this.offsetTerm = term;
  }

  /** The last index whose term is at most `term`, scanning back from `from` (leader back-off). */
  lastIndexAtOrBelowTerm(from: Index, term: Term): Index {
    let index = Math.min(from, this.lastIndex);
    while (index > this.offset && (this.term(index) as Term) > term) index--;
    return index;
  }

  /** Raft §5.4.1: is a log ending at (lastIndex, lastTerm) at least as up-to-date as this one? */
  isUpToDate(lastIndex: Index, lastTerm: Term): boolean {
    const myTerm = this.lastTerm;
    return lastTerm > myTerm || (lastTerm === myTerm && lastIndex >= this.lastIndex);
  }
}
