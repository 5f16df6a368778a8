import { assert, fail } from '../util/assert.js';

/**
 * A binary min-heap of events ordered by (time, sequence number). Keys live in typed arrays so a
 * sift moves numbers, not objects; payloads sit in a slot array addressed by the heap.
 *
 * The sequence number makes the order total and deterministic: two events at the same instant
 * run in the order they were scheduled.
 */
export class EventQueue<T> {
  private times: Float64Array;
  private sequences: Float64Array;
  private slots: Int32Array;
  private payloads: (T | undefined)[] = [];
  private freeSlots: number[] = [];
  private nextSequence = 0;
  size = 0;

  constructor(initialCapacity = 1024) {
    this.times = new Float64Array(initialCapacity);
    this.sequences = new Float64Array(initialCapacity);
    this.slots = new Int32Array(initialCapacity);
  }

  /** Adds an event; returns the sequence number that orders it among events at the same time. */
  push(time: number, payload: T): number {
    const sequence = this.nextSequence++;
    this.pushReserved(time, sequence, payload);
    return sequence;
  }

  /**
   * Takes a sequence number now for an event pushed later with `pushReserved`: the event then
   * runs exactly where a `push` made now would have put it. Lets a host postpone a timer without
   * re-queueing it on every postponement.
   */
  reserveSequence(): number {
    return this.nextSequence++;
  }

  pushReserved(time: number, sequence: number, payload: T): void {
    if (sequence >= this.nextSequence) fail(`sequence ${sequence} was never reserved`);
    if (this.size === this.times.length) this.grow();
    const slot = this.freeSlots.length > 0 ? (this.freeSlots.pop() as number) : this.payloads.length;
    this.payloads[slot] = payload;
    this.siftUp(this.size, time, sequence, slot);
    this.size++;
  }

  /** The time of the earliest event; the queue must not be empty. */
  peekTime(): number {
    assert(this.size > 0, 'peekTime on an empty queue');
    return this.times[0] as number;
  }

  /** Removes the earliest event and returns its payload; `poppedTime` holds its time. */
  pop(): T {
    assert(this.size > 0, 'pop on an empty queue');
    this.poppedTime = this.times[0] as number;
    const slot = this.slots[0] as number;
    const payload = this.payloads[slot] as T;
    this.payloads[slot] = undefined;
    this.freeSlots.push(slot);
    this.size--;
    if (this.size > 0) {
      const last = this.size;
      this.siftDown(0, this.times[last] as number, this.sequences[last] as number, this.slots[last] as number);
    }
    return payload;
  }

  poppedTime = 0;

  private siftUp(index: number, time: number, sequence: number, slot: number): void {
    const times = this.times;
    const sequences = this.sequences;
    const slots = this.slots;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentTime = times[parent] as number;
      if (parentTime < time || (parentTime === time && (sequences[parent] as number) < sequence)) break;
      times[index] = parentTime;
      sequences[index] = sequences[parent] as number;
      slots[index] = slots[parent] as number;
      index = parent;
    }
    times[index] = time;
    sequences[index] = sequence;
    slots[index] = slot;
  }

  private siftDown(index: number, time: number, sequence: number, slot: number): void {
    const times = this.times;
    const sequences = this.sequences;
    const slots = this.slots;
    const size = this.size;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= size) break;
      const right = child + 1;
      if (
        right < size &&
        ((times[right] as number) < (times[child] as number) ||
          ((times[right] as number) === (times[child] as number) && (sequences[right] as number) < (sequences[child] as number)))
      ) {
        child = right;
      }
      const childTime = times[child] as number;
      if (time < childTime || (time === childTime && sequence < (sequences[child] as number))) break;
      times[index] = childTime;
      sequences[index] = sequences[child] as number;
      slots[index] = slots[child] as number;
      index = child;
    }
    times[index] = time;
    sequences[index] = sequence;
    slots[index] = slot;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    const times = new Float64Array(capacity);
    const sequences = new Float64Array(capacity);
    const slots = new Int32Array(capacity);
    times.set(this.times);
    sequences.set(this.sequences);
    slots.set(this.slots);
    this.times = times;
    this.sequences = sequences;
    this.slots = slots;
  }
}
