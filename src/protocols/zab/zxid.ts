/**
 * A zxid names a transaction: (epoch, counter), ordered lexicographically. It is packed into one
 * number, epoch * 2^16 + counter, so zxids compare, sort and key maps as plain numbers. ZooKeeper
 * packs 32 + 32 bits into a long; here the packed number stays below 2^30, a small integer to the
 * JavaScript engine, which then keeps it unboxed in messages and fields and hashes it cheaply
 * (with 2^32 counters every zxid was a heap number: about 20% of Zab's benchmark time). The price
 * is the bounds below: a leader whose counter is exhausted steps down so that the next epoch
 * starts again at 1, as ZooKeeper does when its 32-bit counter rolls over (ZOOKEEPER-1277), and
 * an epoch beyond MAX_EPOCH is an assertion. Zxid 0 is the empty history's origin.
 */
export type Zxid = number;
export type Epoch = number;

const COUNTER_BITS = 16;
const COUNTER_SPAN = 2 ** COUNTER_BITS;
/** The last counter a leader may give a txn in one epoch. */
export const MAX_COUNTER = COUNTER_SPAN - 1;
/** The last epoch a zxid can carry (2^30 / 2^16 - 1). */
export const MAX_EPOCH = 2 ** (30 - COUNTER_BITS) - 1;

export function makeZxid(epoch: Epoch, counter: number): Zxid {
  return epoch * COUNTER_SPAN + counter;
}

export function epochOf(zxid: Zxid): Epoch {
  return Math.floor(zxid / COUNTER_SPAN);
}

export function counterOf(zxid: Zxid): number {
  return zxid % COUNTER_SPAN;
}

/** `3.17`: how zxids read in traces, transcripts and violation messages. */
export function renderZxid(zxid: Zxid): string {
  return `${epochOf(zxid)}.${counterOf(zxid)}`;
}
