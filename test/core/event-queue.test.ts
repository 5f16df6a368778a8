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

  it('an event pushed later with a reserved sequence runs where a push at reservation would have put it', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.boolean()), { maxLength: 100 }), (plan) => {
        const eager = new EventQueue<number>(2);
        const deferred = new EventQueue<number>(2);
        const reserved: [number, number, number][] = [];
        plan.forEach(([time, defer], index) => {
          eager.push(time, index);
          if (defer) reserved.push([time, deferred.reserveSequence(), index]);
          else deferred.push(time, index);
        });
        for (const [time, sequence, index] of reserved) deferred.pushReserved(time, sequence, index);
        const drain = (queue: EventQueue<number>) => Array.from({ length: queue.size }, () => queue.pop());
        expect(drain(deferred)).toEqual(drain(eager));
      }),
    );
  });
});
