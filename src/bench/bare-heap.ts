/**
 * The ceiling for the scheduler benchmark: a binary min-heap of plain numbers in a typed array,
 * with no payloads, no sequence numbers and no cancellation. Nothing real can be faster.
 */
export class BareHeap {
  private readonly keys: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
  }

  push(key: number): void {
    const keys = this.keys;
    let index = this.size++;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentKey = keys[parent] as number;
      if (parentKey <= key) break;
      keys[index] = parentKey;
      index = parent;
    }
    keys[index] = key;
  }

  pop(): number {
    const keys = this.keys;
    const top = keys[0] as number;
    const last = keys[--this.size] as number;
    let index = 0;
    const size = this.size;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= size) break;
      if (child + 1 < size && (keys[child + 1] as number) < (keys[child] as number)) child++;
      if (last <= (keys[child] as number)) break;
      keys[index] = keys[child] as number;
      index = child;
    }
    keys[index] = last;
    return top;
  }
}
