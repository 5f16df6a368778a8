import { describe, expect, it } from 'vitest';
import { checkHistory, modelByName } from '../../src/check/index.js';
import type { HistoryEvent } from '../../src/history/operation.js';

const casRegister = modelByName('cas-register')!;

/** write x; then a cas x→y that "fails" while the register holds x. */
function history(error: string | undefined): HistoryEvent[] {
  const failed: HistoryEvent = { process: 1, type: 'fail', f: 'cas', value: ['x', 'y'], time: 40 };
  if (error !== undefined) failed.error = error;
  return [
    { process: 0, type: 'invoke', f: 'write', value: 'x', time: 0 },
    { process: 0, type: 'ok', f: 'write', value: 'x', time: 10 },
    { process: 1, type: 'invoke', f: 'cas', value: ['x', 'y'], time: 20 },
    failed,
  ];
}

describe('failed operations', () => {
  it('a failed cas is an observation: the register did not hold the expected value', () => {
    expect(checkHistory(history(undefined), casRegister).verdict).toBe('not linearizable');
    expect(checkHistory(history('cas mismatch'), casRegister).verdict).toBe('not linearizable');
  });

  it('a fail with error "unavailable" (no node evaluated it) observes nothing and is left out', () => {
    const checked = checkHistory(history('unavailable'), casRegister);
    expect(checked.verdict).toBe('linearizable');
    expect(checked.ignoredCount).toBe(1);
  });
});
