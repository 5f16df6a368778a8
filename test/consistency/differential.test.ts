import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimeBudget } from '../../src/check/budget.js';
import { checkOperations } from '../../src/check/check-history.js';
import { causalOrder } from '../../src/check/consistency/causal-order.js';
import { checkCausal } from '../../src/check/consistency/causal.js';
import { sessionGuarantees, type CheckAnswer, type ConsistencyModel } from '../../src/check/consistency/models.js';
import { registerView } from '../../src/check/consistency/register-view.js';
import { checkSequential } from '../../src/check/consistency/sequential.js';
import { checkSessionGuarantee } from '../../src/check/consistency/session-guarantees.js';
import { modelByName, pairOperations, type AnyModel } from '../../src/check/index.js';
import type { HistoryEvent } from '../../src/history/operation.js';
import { oracleCausal, oracleSequential, oracleSession } from './oracles.js';
import { registerHistoryArbitrary } from './random-register-histories.js';

const memoryBytes = 64 * 2 ** 20;

/** Every model checked on its own (no implication shortcuts), as booleans: does it hold? */
function checkEach(model: AnyModel, events: readonly HistoryEvent[]): Map<ConsistencyModel, boolean> {
  const operations = pairOperations(events, model).operations;
  const time = new TimeBudget(10_000);
  const result = new Map<ConsistencyModel, boolean>();
  const decided = (answer: CheckAnswer): boolean => {
    expect(answer.verdict).not.toBe('unknown');
    return answer.verdict === 'holds';
  };
  result.set('linearizable', checkOperations(operations, model, { time, memoryBytes }).verdict === 'linearizable');
  result.set('sequential', decided(checkSequential(model, operations, { time, memoryBytes }).answer));
  const view = registerView(model, operations);
  if (view.kind === 'view') {
    const order = causalOrder(view.view, memoryBytes);
    if (order.kind !== 'order') throw new Error('clocks too large');
    const describe = (op: number): string => `#${view.view.ids[op]}`;
    result.set('causal', decided(checkCausal(order.order, describe)));
    for (const guarantee of sessionGuarantees) result.set(guarantee, decided(checkSessionGuarantee(guarantee, order.order, describe)));
  }
  return result;
}

function oracleEach(model: AnyModel, events: readonly HistoryEvent[]): Map<ConsistencyModel, boolean> {
  const operations = pairOperations(events, model).operations;
  const result = new Map<ConsistencyModel, boolean>([['sequential', oracleSequential(model, operations)]]);
  const view = registerView(model, operations);
  if (view.kind === 'view') {
    result.set('causal', oracleCausal(view.view));
    for (const guarantee of sessionGuarantees) result.set(guarantee, oracleSession(guarantee, view.view));
  }
  return result;
}

describe.each([
  { name: 'register', cas: false, runs: 3000 },
  { name: 'cas-register', cas: true, runs: 1500 },
])('consistency checkers on random $name histories', ({ name, cas, runs }) => {
  const model = modelByName(name) as AnyModel;

  it('agree with the brute-force oracles, with at least 10 histories of each verdict per model, and keep the implication order', () => {
    const counts = new Map<string, number>();
    fc.assert(
      fc.property(registerHistoryArbitrary({ cas }), (events) => {
        const checked = checkEach(model, events);
        const oracle = oracleEach(model, events);
        for (const [modelName, expected] of oracle) {
          expect({ model: modelName, holds: checked.get(modelName) }).toEqual({ model: modelName, holds: expected });
          counts.set(`${modelName} ${expected ? 'holds' : 'violated'}`, (counts.get(`${modelName} ${expected ? 'holds' : 'violated'}`) ?? 0) + 1);
        }
        // linearizable ⇒ sequential ⇒ causal ⇒ each session guarantee
        if (checked.get('linearizable') === true) expect(checked.get('sequential')).toBe(true);
        if (checked.get('sequential') === true && checked.has('causal')) expect(checked.get('causal')).toBe(true);
        if (checked.get('causal') === true) for (const guarantee of sessionGuarantees) expect({ guarantee, holds: checked.get(guarantee) }).toEqual({ guarantee, holds: true });
      }),
      { numRuns: runs, seed: 16 },
    );
    for (const modelName of ['sequential', 'causal', ...sessionGuarantees]) {
      for (const verdict of ['holds', 'violated']) expect({ modelName, verdict, enough: (counts.get(`${modelName} ${verdict}`) ?? 0) >= 10 }).toEqual({ modelName, verdict, enough: true });
    }
  });
});
