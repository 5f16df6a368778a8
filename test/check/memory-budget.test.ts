import { describe, expect, it } from 'vitest';
import { MemoryBudget, TimeBudget } from '../../src/check/budget.js';
import { checkHistory, modelByName } from '../../src/check/index.js';
import type { Operation } from '../../src/check/operation.js';
import { pairOperations } from '../../src/check/pair-operations.js';
import { searchPartition } from '../../src/check/search/partition-search.js';
import type { HistoryEvent } from '../../src/history/operation.js';
import { stressHistory } from '../../src/bench/check-stress-histories.js';

const register = modelByName('register')!;
const mebibyte = 1024 * 1024;

/**
 * 60 clients write values 0..4 concurrently and never return (info), then 40 reads: the search
 * must try many subsets of the writes, so its memo grows past a few hundred kilobytes.
 */
function wideHistory(): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  let time = 0;
  for (let client = 0; client < 60; client++) events.push({ process: client, type: 'invoke', f: 'write', value: client % 5, time: time++ });
  for (let client = 0; client < 60; client++) events.push({ process: client, type: 'info', f: 'write', value: ':timeout', time: time++ });
  for (let round = 0; round < 40; round++) {
    events.push({ process: 1000 + round, type: 'invoke', f: 'read', value: null, time: time++ });
    events.push({ process: 1000 + round, type: 'ok', f: 'read', value: (round * 3) % 5, time: time++ });
  }
  return events;
}

function split(operations: readonly Operation[]): [Operation[], Operation[]] {
  return [operations.filter((operation) => operation.outcome !== 'info'), operations.filter((operation) => operation.outcome === 'info')];
}

describe('the memory budget', () => {
  it('lets the searches hold up to the floor whatever the thread holds, and beyond it compares the sample plus allocations since', () => {
    let thread = 10 * mebibyte;
    const budget = new MemoryBudget(8 * mebibyte, () => thread);
    expect(budget.floorBytes).toBe(2 * mebibyte); // a quarter of the budget, at most 32 MiB
    // The thread already holds more than the budget, but a search under the floor is never stopped by it.
    expect(budget.allows(2 * mebibyte)).toBe(true);
    budget.allocate(2 * mebibyte);
    expect(budget.allows(1)).toBe(false);
    // A sample showing memory freed lets the search go on; allocations since are added to it.
    thread = 5 * mebibyte;
    budget.sample();
    expect(budget.allows(3 * mebibyte)).toBe(true);
    budget.allocate(2 * mebibyte);
    expect(budget.estimate()).toBe(7 * mebibyte);
    expect(budget.allows(mebibyte + 1)).toBe(false);
    // What the searches hold never exceeds the budget, even when the thread sample is small.
    thread = 0;
    budget.sample();
    expect(budget.held()).toBe(4 * mebibyte);
    expect(budget.allows(4 * mebibyte)).toBe(true);
    expect(budget.allows(4 * mebibyte + 1)).toBe(false);
    // Released bytes are not subtracted from the estimate before the next sample shows them gone.
    budget.allocate(3 * mebibyte);
    budget.release(7 * mebibyte);
    expect(budget.held()).toBe(0);
    expect(budget.estimate()).toBe(3 * mebibyte);
  });

  it('stops the search with unknown (memory budget) once its memo passes the floor in a thread at the budget, and not otherwise', () => {
    // 500 operations of 20 clients on one register, 30% of them info writes of values 0..4:
    // a few thousand configurations, some hundreds of kilobytes of memo.
    const history = stressHistory({ operations: 500, clients: 20, keys: 1, infoPerMille: 300, writePerMille: 600, valueRange: 5, noCas: true, seed: 11 });
    const paired = pairOperations(history, register);
    const [determinate, indeterminate] = split(paired.operations);
    const limit = mebibyte; // floor 256 KiB
    const time = new TimeBudget(60_000);
    const roomy = searchPartition(register, determinate, indeterminate, { time, memory: new MemoryBudget(limit, () => 0), configurationLimit: Infinity });
    expect(roomy.kind).toBe('linearizable');
    // The same search in a thread that holds nearly the whole budget already.
    const full = new MemoryBudget(limit, () => limit - 16 * 1024);
    const stopped = searchPartition(register, determinate, indeterminate, { time, memory: full, configurationLimit: Infinity });
    expect(stopped.kind).toBe('unknown');
    expect(stopped.kind === 'unknown' && stopped.reason).toBe('memory budget');
    expect(stopped.configurations).toBeGreaterThan(0);
    expect(stopped.configurations).toBeLessThan(roomy.configurations);
    // Everything the stopped search held was given back.
    expect(full.held()).toBe(0);
  });

  it('a tiny budget gives unknown (memory budget), and the result names it', () => {
    const tiny = checkHistory(wideHistory(), register, { memoryMb: 0.01 });
    expect(tiny.verdict).toBe('unknown');
    expect(tiny.partitions[0]).toMatchObject({ verdict: 'unknown', reason: 'memory budget', decidedBy: 'search' });
  });
});
