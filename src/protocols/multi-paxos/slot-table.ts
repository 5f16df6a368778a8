import type { Slot } from './messages.js';

/**
 * Values by slot, for the per-slot records a node keeps (accepted values, chosen values, open
 * slots): slots arrive close to in order and leave from the bottom (a snapshot, a slot chosen).
 * A ring buffer over the span from the lowest slot held to the highest, instead of a Map: a Map
 * rebuilds its table each time it grows or shrinks, and these grow to a snapshot's worth of slots
 * and empty out at every snapshot, on every node. The ring only ever doubles, so in a steady run
 * it stops allocating. Iterates in slot order. Never holds `undefined` as a value.
 */
export class SlotTable<T> {
  /** Slot `base + i` lives at ring[(head + i) & (ring.length - 1)], for i < span. */
  private ring: (T | undefined)[] = new Array<T | undefined>(16).fill(undefined);
  private head = 0;
  private base: Slot = 0;
  private span = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The lowest slot held (when not empty): loop `for (slot = first; slot < end; slot++)` with `get` to visit every value without allocating. */
  get first(): Slot {
    return this.base;
  }

  /** One past the highest slot held (`first` when empty). */
  get end(): Slot {
    return this.base + this.span;
  }

  get(slot: Slot): T | undefined {
    const at = slot - this.base;
    if (at < 0 || at >= this.span) return undefined;
    return this.ring[(this.head + at) & (this.ring.length - 1)];
  }

  has(slot: Slot): boolean {
    return this.get(slot) !== undefined;
  }

  set(slot: Slot, value: T): void {
    if (this.count === 0) {
      this.base = slot;
      this.span = 0;
    } else if (slot < this.base) {
      this.regrow(this.end - slot, this.base - slot);
      this.base = slot;
    }
    const at = slot - this.base;
    if (at >= this.ring.length) this.regrow(at + 1, 0);
    if (at >= this.span) this.span = at + 1;
    const index = (this.head + at) & (this.ring.length - 1);
    if (this.ring[index] === undefined) this.count++;
    this.ring[index] = value;
  }

  delete(slot: Slot): boolean {
    const at = slot - this.base;
    if (at < 0 || at >= this.span) return false;
    const mask = this.ring.length - 1;
    const index = (this.head + at) & mask;
    if (this.ring[index] === undefined) return false;
    this.ring[index] = undefined;
    this.count--;
    if (this.count === 0) {
      this.span = 0;
      this.head = 0;
      return true;
    }
    // Keep the lowest slot held at the head, and the highest at the end of the span.
    while (this.ring[this.head] === undefined) {
      this.head = (this.head + 1) & mask;
      this.base++;
      this.span--;
    }
    while (this.ring[(this.head + this.span - 1) & mask] === undefined) this.span--;
    return true;
  }

  clear(): void {
    this.ring.fill(undefined);
    this.head = 0;
    this.span = 0;
    this.count = 0;
  }

  /** Every value in slot order, as a new array (for the rare whole-table walks; hot paths loop with `get`). */
  values(): T[] {
    const out: T[] = [];
    for (let slot = this.first; slot < this.end; slot++) {
      const value = this.get(slot);
      if (value !== undefined) out.push(value);
    }
    return out;
  }

  /** A ring of at least `needed` places holding the current span `shift` places further up. */
  private regrow(needed: number, shift: number): void {
    let capacity = this.ring.length;
    while (capacity < needed) capacity *= 2;
    const ring = new Array<T | undefined>(capacity).fill(undefined);
    const mask = this.ring.length - 1;
    for (let at = 0; at < this.span; at++) ring[at + shift] = this.ring[(this.head + at) & mask];
    this.ring = ring;
    this.head = 0;
    this.span += shift;
  }
}
