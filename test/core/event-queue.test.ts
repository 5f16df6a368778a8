import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../src/sim/event-queue.js';

describe('EventQueue', () => {
  it('pops in (time, insertion order): a stable sort by time', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 300 }), (times) => {
        const queue = new EventQueue<number>(2);
        times.forEach((time, index) => queue.push(time, index));
        const popped: [number, number][] = [];
        while (queue.size > 0) {
          const index = queue.pop();
          popped.push([queue.poppedTime, index]);
        }
        const expected = times.map((time, index) => [time, index] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(popped).toEqual(expected);
      }),
    );
  });

  it('interleaves pushes and pops correctly', () => {
    const queue = new EventQueue<string>(1);
    queue.push(10, 'a');
    queue.push(5, 'b');
    expect(queue.pop()).toBe('b');
    queue.push(7, 'c');
    queue.push(10, 'd');
    expect([queue.pop(), queue.pop(), queue.pop()]).toEqual(['c', 'a', 'd']);
    expect(queue.size).toBe(0);
  });
});
