import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkHistory, modelByName, pairOperations } from '../../src/check/index.js';
import { bruteForceLinearizable } from './brute-force.js';
import { historyArbitrary, shapesByModel } from './random-histories.js';

describe('on random small histories the checker agrees with a brute-force checker that tries every order', () => {
  for (const name of Object.keys(shapesByModel)) {
    it(`model ${name}: up to 8 operations, 2-4 clients, random intervals and outcomes (ok, fail, info, never completed)`, () => {
      const model = modelByName(name)!;
      const seen = { linearizable: 0, 'not linearizable': 0 };
      fc.assert(
        fc.property(historyArbitrary(name), (history) => {
          const expected = bruteForceLinearizable(model, pairOperations(history, model).operations);
          const result = checkHistory(history, model, { timeoutMs: 10_000 });
          expect(result.verdict).not.toBe('unknown');
          expect(result.verdict).toBe(expected ? 'linearizable' : 'not linearizable');
          seen[result.verdict as keyof typeof seen]++;
        }),
        { numRuns: 400 },
      );
      // The generator must exercise both verdicts, or the agreement above says little.
      expect(seen.linearizable).toBeGreaterThan(10);
      expect(seen['not linearizable']).toBeGreaterThan(10);
    });
  }
});
