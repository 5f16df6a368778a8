import type { Json } from '../history/operation.js';
import type { DurableReader, DurableRecord } from '../protocol/protocol.js';

interface PendingWrite {
  key: string;
  value: Json | undefined;
}

/**
 * A node's disk. A write is first pending (in the page cache) and becomes durable when synced.
 * A crash loses pending writes; a torn crash leaves the last pending write as a corrupt record.
 * A durable record can also be corrupted by a storage fault; the protocol reads `corrupt`.
 */
/** What the map holds for a record that fails its checksum; any other entry is the value itself. */
const CORRUPT: unique symbol = Symbol('corrupt');
type Stored = Json | typeof CORRUPT;

export class Disk implements DurableReader {
  // Values are stored bare and wrapped only when read (recovery reads; steps only write): a
  // wrapper per write would live as long as the record, and Raft writes one per log entry.
  private readonly records = new Map<string, Stored>();
  private pending: PendingWrite[] = [];

  write(key: string, value: Json | undefined): void {
    this.pending.push({ key, value });
  }

  /** A write that is durable at once (a disk with no sync delay): nothing to lose on a crash. */
  writeDurable(key: string, value: Json | undefined): void {
    if (value === undefined) this.records.delete(key);
    else this.records.set(key, value);
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  sync(): void {
    for (const write of this.pending) this.apply(write);
    this.pending = [];
  }

  /** Drops pending writes as a crash does; returns how many were lost. */
  loseUnsynced(tornFinalWrite: boolean): number {
    const lost = this.pending.length;
    const last = this.pending[lost - 1];
    if (tornFinalWrite && last !== undefined) this.records.set(last.key, CORRUPT);
    this.pending = [];
    return lost;
  }

  /** A storage fault: the record under `key` fails its checksum from now on. */
  corrupt(key: string): boolean {
    if (!this.records.has(key)) return false;
    this.records.set(key, CORRUPT);
    return true;
  }

  read(key: string): DurableRecord {
    const stored = this.records.get(key);
    if (stored === undefined) return { kind: 'missing' };
    if (stored === CORRUPT) return { kind: 'corrupt' };
    return { kind: 'value', value: stored };
  }

  keys(): string[] {
    return [...this.records.keys()].sort();
  }

  get size(): number {
    return this.records.size;
  }

  private apply(write: PendingWrite): void {
    if (write.value === undefined) this.records.delete(write.key);
    else this.records.set(write.key, write.value);
  }
}
