import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ddmin } from '../../src/shrink/ddmin.js';
import { clientScripts } from '../../src/shrink/event-script.js';
import type { HistoryEvent } from '../../src/history/operation.js';

describe('ddmin', () => {
  it('reduces any list to exactly the items the failure needs, when the failure needs all of them', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(199), { minLength: 0, maxLength: 4 }), (needed) => {
        const items = Array.from({ length: 200 }, (_, i) => i);
        let tests = 0;
        const kept = ddmin(items, (candidate) => {
          tests++;
          return needed.every((item) => candidate.includes(item));
        });
        expect(kept).toEqual([...needed].sort((a, b) => a - b));
        expect(tests).toBeLessThan(200); // far fewer than trying each item's removal
      }),
    );
  });
});

describe('clientScripts', () => {
  it('gives each invocation to its client, following the new process a client takes after an info', () => {
    const event = (process: number, type: HistoryEvent['type'], value: string | null, time: number): HistoryEvent => ({ process, type, f: 'write', key: 'k0', value, time });
    const history = [
      event(0, 'invoke', 'a', 10),
      event(1, 'invoke', 'b', 11),
      event(1, 'info', 'b', 20), // client 1 continues as process 2
      event(0, 'info', 'a', 21), // client 0 continues as process 3
      event(3, 'invoke', 'c', 30),
      event(2, 'invoke', 'd', 31),
    ];

    expect(clientScripts(history, 2).map((operations) => operations.map((operation) => operation.value))).toEqual([
      ['a', 'c'],
      ['b', 'd'],
    ]);
  });
});
