import { fail } from '../../util/assert.js';
import type { Snapshot, Txn } from './messages.js';
import { epochOf, renderZxid, type Epoch, type Zxid } from './zxid.js';

/**
 * A server's history: a snapshot (the state machine up to its zxid) and the txns after it in
 * zxid order. Everything at or below the snapshot is committed; txns after it may not be.
 */
export class History {
  snapshot: Snapshot | null = null;
  txns: Txn[] = [];

  get snapshotZxid(): Zxid {
    return this.snapshot === null ? 0 : this.snapshot.zxid;
  }

  get lastZxid(): Zxid {
    const last = this.txns[this.txns.length - 1];
    return last === undefined ? this.snapshotZxid : last.zxid;
  }

  /** Position of the first txn with a zxid above `zxid` (binary search). */
  firstAfter(zxid: Zxid): number {
    let low = 0;
    let high = this.txns.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.txns[mid] as Txn).zxid <= zxid) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  find(zxid: Zxid): Txn | undefined {
    const at = this.firstAfter(zxid) - 1;
    const txn = this.txns[at];
    return txn !== undefined && txn.zxid === zxid ? txn : undefined;
  }

  /** Whether the history reaches exactly `zxid` (the snapshot point or a txn). */
  contains(zxid: Zxid): boolean {
    return zxid === this.snapshotZxid || this.find(zxid) !== undefined;
  }

  /** Up to `max` txns after `zxid`. */
  after(zxid: Zxid, max = Infinity): Txn[] {
    const from = this.firstAfter(zxid);
    return this.txns.slice(from, Math.min(this.txns.length, from + max));
  }

  /** The zxid just before `zxid` in this history (the snapshot point for the first txn). */
  previousOf(zxid: Zxid): Zxid {
    const at = this.firstAfter(zxid) - 1;
    const before = this.txns[at - 1];
    if (this.txns[at]?.zxid !== zxid) fail(`previousOf ${renderZxid(zxid)}: not in the history`);
    return before === undefined ? this.snapshotZxid : before.zxid;
  }

  append(txn: Txn): void {
    if (txn.zxid <= this.lastZxid) fail(`txn ${renderZxid(txn.zxid)} appended after ${renderZxid(this.lastZxid)}`);
    this.txns.push(txn);
  }

  /** Drops every txn after `zxid`; returns them. */
  truncateAfter(zxid: Zxid): Txn[] {
    if (zxid < this.snapshotZxid) fail(`truncation to ${renderZxid(zxid)} below the snapshot ${renderZxid(this.snapshotZxid)}`);
    return this.txns.splice(this.firstAfter(zxid));
  }

  /** Replaces everything with a snapshot (SNAP synchronization). */
  reset(snapshot: Snapshot): Txn[] {
    const dropped = this.txns;
    this.snapshot = snapshot;
    this.txns = [];
    return dropped;
  }

  /** Compacts: the snapshot replaces the txns it covers. */
  compact(snapshot: Snapshot): Txn[] {
    if (!(snapshot.zxid >= this.snapshotZxid && this.contains(snapshot.zxid))) fail(`snapshot at ${renderZxid(snapshot.zxid)} not in the history`);
    this.snapshot = snapshot;
    return this.txns.splice(0, this.firstAfter(snapshot.zxid));
  }

  /** The last zxid of each epoch in the log, ascending (the snapshot's epoch first when it has none). */
  epochSummary(): [Epoch, Zxid][] {
    const out: [Epoch, Zxid][] = [];
    if (this.snapshotZxid > 0) out.push([epochOf(this.snapshotZxid), this.snapshotZxid]);
    for (const txn of this.txns) {
      const epoch = epochOf(txn.zxid);
      const last = out[out.length - 1];
      if (last !== undefined && last[0] === epoch) last[1] = txn.zxid;
      else out.push([epoch, txn.zxid]);
    }
    return out;
  }

  /** The highest zxid of `epoch` this history holds, if any (searching down from the end). */
  lastOfEpoch(epoch: Epoch): Zxid | undefined {
    for (let i = this.txns.length - 1; i >= 0; i--) {
      const e = epochOf((this.txns[i] as Txn).zxid);
      if (e === epoch) return (this.txns[i] as Txn).zxid;
      if (e < epoch) return undefined;
    }
    return epochOf(this.snapshotZxid) === epoch && this.snapshotZxid > 0 ? this.snapshotZxid : undefined;
  }
}
