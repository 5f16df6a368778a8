import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkHistory, modelByName } from '../../src/check/index.js';
import type { HistoryEvent } from '../../src/history/operation.js';
import { counterHistory } from '../../src/bench/check-stress-histories.js';
import { historyArbitrary } from './random-histories.js';

const counter = modelByName('counter')!;

/** Builds events from compact rows: [process, type, f, value, time]. */
function events(rows: [number, HistoryEvent['type'], string, HistoryEvent['value'], number][]): HistoryEvent[] {
  return rows.map(([process, type, f, value, time]) => ({ process, type, f, value, time }));
}

describe('counter: indeterminate adds as optional increments (optional-adds.ts)', () => {
  for (const [name, deltas] of [
    ['positive deltas', [1, 2, 3]],
    ['deltas of both signs', [-2, -1, 1, 2]],
  ] as const) {
    it(`${name}: on random histories, the counter path's verdict equals the search's`, () => {
      const shape = fc.oneof(
        fc.record({ f: fc.constant('add'), invokeValue: fc.constantFrom(...deltas), okValue: fc.constant(null) }),
        fc.record({ f: fc.constant('read'), invokeValue: fc.constant(null), okValue: fc.integer({ min: -2, max: 6 }) }),
      );
      // Many indeterminate outcomes: the path only applies when an add is indeterminate.
      const outcome = fc.constantFrom<'ok' | 'fail' | 'info' | 'open'>('ok', 'ok', 'ok', 'info', 'info', 'open', 'fail');
      const seen = { linearizable: 0, 'not linearizable': 0, path: 0, linearizableByPath: 0 };
      fc.assert(
        fc.property(historyArbitrary('counter', 12, { shape, outcome }), (history) => {
          const searched = checkHistory(history, counter, { timeoutMs: 10_000, searchOnly: true });
          fc.pre(searched.verdict !== 'unknown');
          const checked = checkHistory(history, counter, { timeoutMs: 10_000 });
          expect(checked.verdict).toBe(searched.verdict);
          if (checked.partitions.some((partition) => partition.decidedBy === 'optional adds')) seen.path++;
          // Witnesses (from the level search with positive deltas, or the configuration search) are checked orders.
          if (checked.partitions.some((partition) => partition.decidedBy === 'optional adds' && partition.verdict === 'linearizable')) seen.linearizableByPath++;
          seen[checked.verdict as 'linearizable' | 'not linearizable']++;
        }),
        { numRuns: 700 },
      );
      expect(seen.path).toBeGreaterThan(300);
      expect(seen.linearizableByPath).toBeGreaterThan(50);
      expect(seen.linearizable).toBeGreaterThan(50);
      expect(seen['not linearizable']).toBeGreaterThan(50);
    });
  }

  it('an indeterminate add counted by one read stays counted by every later read', () => {
    // The add of 5 (p0) never returns. p1 reads 5 (it took effect), then p2 reads 0 after p1
    // returned: the 5 cannot be taken back, so no linearization exists. Without the chain rule
    // (each read choosing its own subset of the optional adds) both reads would look fine.
    const history = events([
      [0, 'invoke', 'add', 5, 0],
      [0, 'info', 'add', ':timeout', 1],
      [1, 'invoke', 'read', null, 2],
      [1, 'ok', 'read', 5, 3],
      [2, 'invoke', 'read', null, 4],
      [2, 'ok', 'read', 0, 5],
    ]);
    const checked = checkHistory(history, counter);
    expect(checked.verdict).toBe('not linearizable');
    expect(checked.partitions[0]).toMatchObject({ decidedBy: 'optional adds' });
    // Reading 0 first and 5 afterwards is fine: the add took effect in between.
    const later = events([
      [0, 'invoke', 'add', 5, 0],
      [0, 'info', 'add', ':timeout', 1],
      [1, 'invoke', 'read', null, 2],
      [1, 'ok', 'read', 0, 3],
      [2, 'invoke', 'read', null, 4],
      [2, 'ok', 'read', 5, 5],
    ]);
    const fine = checkHistory(later, counter);
    expect(fine.verdict).toBe('linearizable');
    expect(fine.partitions[0]).toMatchObject({ decidedBy: 'optional adds' });
  });

  it('an indeterminate add cannot count before its invocation', () => {
    // p1 reads 3 and returns before the add of 3 is invoked: 3 is unreachable then.
    const history = events([
      [1, 'invoke', 'read', null, 0],
      [1, 'ok', 'read', 3, 1],
      [0, 'invoke', 'add', 3, 2],
      [0, 'info', 'add', ':timeout', 3],
    ]);
    expect(checkHistory(history, counter).verdict).toBe('not linearizable');
  });

  it('a generated 220-operation history with 23 crashed adds is decided by the counter path, as the search decides it', () => {
    const history = counterHistory({ operations: 220, clients: 10, indeterminateAdds: 23, seed: 3 });
    const checked = checkHistory(history, counter);
    expect(checked.partitions[0]).toMatchObject({ verdict: 'linearizable', decidedBy: 'optional adds', indeterminateCount: 23 });
    expect(checkHistory(history, counter, { searchOnly: true }).verdict).toBe('linearizable');
  });
});
