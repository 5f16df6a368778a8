import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SlotTable } from '../../src/protocols/multi-paxos/slot-table.js';

/** The slot table behaves as a Map from slot to value, iterated in slot order. */
describe('SlotTable', () => {
  it('agrees with a Map under any sequence of sets, deletes and bottom compactions', () => {
    const operation = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), slot: fc.integer({ min: 0, max: 200 }) }),
      fc.record({ kind: fc.constant('delete' as const), slot: fc.integer({ min: 0, max: 200 }) }),
      fc.record({ kind: fc.constant('compact' as const), slot: fc.integer({ min: 0, max: 200 }) }),
      fc.record({ kind: fc.constant('clear' as const), slot: fc.constant(0) }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 300 }), (operations) => {
        const table = new SlotTable<string>();
        const model = new Map<number, string>();
        operations.forEach(({ kind, slot }, step) => {
          if (kind === 'set') {
            table.set(slot, `v${step}`);
            model.set(slot, `v${step}`);
          } else if (kind === 'delete') {
            expect(table.delete(slot)).toBe(model.delete(slot));
          } else if (kind === 'compact') {
            for (const key of [...model.keys()]) {
              if (key > slot) continue;
              model.delete(key);
              table.delete(key);
            }
          } else {
            table.clear();
            model.clear();
          }
          const keys = [...model.keys()].sort((a, b) => a - b);
          expect(table.size).toBe(model.size);
          expect(table.values()).toEqual(keys.map((key) => model.get(key)));
          if (keys.length > 0) expect([table.first, table.end]).toEqual([keys[0], (keys[keys.length - 1] as number) + 1]);
          for (let probe = 0; probe <= 201; probe++) expect(table.get(probe)).toBe(model.get(probe));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('holds a span far wider than its first ring, growing up and down', () => {
    const table = new SlotTable<number>();
    table.set(5_000, 1);
    table.set(10, 2);
    table.set(40_000, 3);
    expect([table.get(10), table.get(5_000), table.get(40_000), table.get(11), table.size]).toEqual([2, 1, 3, undefined, 3]);
    expect([table.first, table.end]).toEqual([10, 40_001]);
    table.delete(10);
    expect([table.first, table.values()]).toEqual([5_000, [1, 3]]);
  });
});
