import { describe, expect, it } from 'vitest';
import { checkHistory, modelByName } from '../../src/check/index.js';
import type { HistoryEvent } from '../../src/history/operation.js';

const casRegister = modelByName('cas-register')!;
const register = modelByName('register')!;

/** Builds events from compact rows: [process, type, f, value, time]. */
function events(rows: [number, HistoryEvent['type'], string, HistoryEvent['value'], number][]): HistoryEvent[] {
  return rows.map(([process, type, f, value, time]) => ({ process, type, f, value, time }));
}

describe('indeterminate (info) and failed operations', () => {
  it('an info write may take effect long after its invocation', () => {
    const history = events([
      [0, 'invoke', 'write', 1, 0],
      [0, 'info', 'write', ':timeout', 1],
      [1, 'invoke', 'read', null, 5],
      [1, 'ok', 'read', null, 6],
      [2, 'invoke', 'read', null, 7],
      [2, 'ok', 'read', 1, 8],
    ]);
    expect(checkHistory(history, register).verdict).toBe('linearizable');
  });

  it('an info write cannot take effect before it was invoked', () => {
    const history = events([
      [1, 'invoke', 'read', null, 0],
      [1, 'ok', 'read', 1, 1],
      [0, 'invoke', 'write', 1, 2],
      [0, 'info', 'write', ':timeout', 3],
    ]);
    const result = checkHistory(history, register);
    expect(result.verdict).toBe('not linearizable');
  });

  it('a failed write never took effect', () => {
    const history = events([
      [0, 'invoke', 'write', 1, 0],
      [0, 'fail', 'write', 1, 1],
      [1, 'invoke', 'read', null, 2],
      [1, 'ok', 'read', 1, 3],
    ]);
    expect(checkHistory(history, casRegister).verdict).toBe('not linearizable');
  });

  it('a failed cas observes that the register did not hold the expected value', () => {
    const history = events([
      [0, 'invoke', 'write', 1, 0],
      [0, 'ok', 'write', 1, 1],
      [1, 'invoke', 'cas', [1, 2], 2],
      [1, 'fail', 'cas', [1, 2], 3],
    ]);
    expect(checkHistory(history, casRegister).verdict).toBe('not linearizable');
  });

  it('an invocation that never completes is indeterminate', () => {
    const history = events([
      [0, 'invoke', 'write', 7, 0],
      [1, 'invoke', 'read', null, 1],
      [1, 'ok', 'read', 7, 2],
    ]);
    expect(checkHistory(history, register).verdict).toBe('linearizable');
  });

  it('unobservable info writes are dropped before the search and counted', () => {
    const rows: [number, HistoryEvent['type'], string, HistoryEvent['value'], number][] = [];
    for (let index = 0; index < 40; index++) rows.push([index, 'invoke', 'write', 1000 + index, index]);
    rows.push([100, 'invoke', 'read', null, 50], [100, 'ok', 'read', null, 51]);
    const result = checkHistory(events(rows), register);
    expect(result.verdict).toBe('linearizable');
    expect(result.partitions[0]!.droppedIndeterminateCount).toBe(40);
  });

  it('many concurrent observed info writes on one key end quickly (normal form), and a tiny budget gives unknown, not a crash', () => {
    // 60 clients write values 0..4 and time out; reads then see the values in an order that
    // needs many of the info writes to have happened, and finally an impossible read.
    const rows: [number, HistoryEvent['type'], string, HistoryEvent['value'], number][] = [];
    let time = 0;
    for (let client = 0; client < 60; client++) rows.push([client, 'invoke', 'write', client % 5, time++]);
    for (let client = 0; client < 60; client++) rows.push([client, 'info', 'write', ':timeout', time++]);
    for (let round = 0; round < 40; round++) rows.push([1000 + round, 'invoke', 'read', null, time++], [1000 + round, 'ok', 'read', (round * 3) % 5, time++]);
    rows.push([2000, 'invoke', 'read', null, time++], [2000, 'ok', 'read', 99, time++]);
    const history = events(rows);
    const full = checkHistory(history, register, { timeoutMs: 30_000 });
    expect(full.verdict).toBe('not linearizable');
    const withoutLastRead = checkHistory(history.slice(0, -2), register, { timeoutMs: 30_000 });
    expect(withoutLastRead.verdict).toBe('linearizable');
    const tiny = checkHistory(history.slice(0, -2), casRegister, { timeoutMs: 30_000, memoryMb: 0.001 });
    expect(tiny.verdict).toBe('unknown');
    expect(tiny.partitions[0]).toMatchObject({ verdict: 'unknown', reason: 'memory budget' });
  });
});
