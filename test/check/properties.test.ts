import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkHistory, modelByName } from '../../src/check/index.js';
import type { Json } from '../../src/history/operation.js';
import { executeSequentially, falsifyOneRead, stepsArbitrary, widenedHistory, wideningArbitrary } from './sequential-histories.js';

const models = ['register', 'cas-register', 'kv', 'counter', 'fifo-queue'] as const;
/** A value of the right type for each model that the sequential runs never write. */
const neverWritten: Record<(typeof models)[number], Json> = { register: 999, 'cas-register': 999, kv: 'never written', counter: -999, 'fifo-queue': 999 };

describe('properties of the checker', () => {
  for (const name of models) {
    const model = modelByName(name)!;
    it(`${name}: a sequential execution with arbitrarily widened, overlapping intervals (some writes indeterminate) is linearizable`, () => {
      fc.assert(
        fc.property(stepsArbitrary, wideningArbitrary, (steps, widening) => {
          const history = widenedHistory(executeSequentially(name, steps), widening);
          expect(checkHistory(history, model, { timeoutMs: 20_000 }).verdict).toBe('linearizable');
        }),
        { numRuns: 150 },
      );
    });

    it(`${name}: changing one read's output to a value never written makes it not linearizable`, () => {
      fc.assert(
        fc.property(stepsArbitrary, wideningArbitrary, fc.nat(), (steps, widening, which) => {
          const falsified = falsifyOneRead(executeSequentially(name, steps), which, neverWritten[name]);
          fc.pre(falsified !== undefined);
          const history = widenedHistory(falsified!, widening);
          expect(checkHistory(history, model, { timeoutMs: 20_000 }).verdict).toBe('not linearizable');
        }),
        { numRuns: 150 },
      );
    });
  }
});
