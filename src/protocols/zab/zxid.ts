/**
 * A zxid names a transaction: (epoch, counter), ordered lexicographically. It is packed into one
 * number, epoch * 2^32 + counter, so zxids compare, sort and key maps as plain numbers (exact up
 * to epoch 2^21, far beyond any run). Zxid 0 is the empty history's origin.
 */
export type Zxid = number;
export type Epoch = number;

const COUNTER_SPAN = 2 ** 32;

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
