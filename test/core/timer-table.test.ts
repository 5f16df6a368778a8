import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimerTable } from '../../src/node/timer-table.js';

describe('TimerTable', () => {
  it('behaves as a Map, with few names or many armed at once', () => {
    const action = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), name: fc.integer({ min: 0, max: 40 }), value: fc.integer() }),
      fc.record({ kind: fc.constant('delete' as const), name: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ kind: fc.constant('clear' as const) }),
    );
    fc.assert(
      fc.property(fc.array(action, { maxLength: 200 }), (actions) => {
        const table = new TimerTable<number>();
        const model = new Map<string, number>();
        for (const step of actions) {
          if (step.kind === 'set') {
            table.set(`t${step.name}`, step.value);
            model.set(`t${step.name}`, step.value);
          } else if (step.kind === 'delete') {
            table.delete(`t${step.name}`);
            model.delete(`t${step.name}`);
          } else {
            table.clear();
            model.clear();
          }
          for (let name = 0; name <= 40; name++) expect(table.get(`t${name}`)).toBe(model.get(`t${name}`));
          expect(table.values().sort()).toEqual([...model.values()].sort());
        }
      }),
      { numRuns: 200 },
    );
  });
});
