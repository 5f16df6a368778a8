import { describe, expect, it } from 'vitest';
import { checkConvergence, type ReplicaData } from '../../src/check/consistency/convergence.js';
import type { HistoryEvent, Json } from '../../src/history/operation.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenarioFile } from '../../src/scenario/load.js';

/** One completed operation: invoke at `from`, completion (`type`) at `to`. */
const op = (process: number, f: string, value: Json, type: 'ok' | 'fail' | 'info', from: number, to: number, key = 'k'): HistoryEvent[] => [
  { process, type: 'invoke', f, key, value, time: from },
  { process, type, f, key, value, time: to },
];
const replicas = (...data: (Record<string, Json> | undefined)[]): ReplicaData[] =>
  data.map((entries, node) => ({ node, data: entries === undefined ? undefined : new Map(Object.entries(entries)) }));

describe('convergence: replicas agree after a quiet period and reflect every acknowledged write', () => {
  it('registers: the last acknowledged write survives; an older value means a lost write', () => {
    // w1 "a" [0,10], w2 "b" [20,30]: w2 began after w1 completed, so the final value must be "b".
    const history = [...op(0, 'write', 'a', 'ok', 0, 10), ...op(1, 'write', 'b', 'ok', 20, 30)];
    expect(checkConvergence(replicas({ k: 'b' }, { k: 'b' }), history).verdict).toBe('holds');
    const lost = checkConvergence(replicas({ k: 'a' }, { k: 'a' }), history);
    expect(lost.verdict).toBe('violated');
    expect(lost.verdict === 'violated' && lost.summary).toContain('acknowledged write #2 of "b" began after #0 completed');
  });

  it('registers: concurrent writes may end either way; an indeterminate write may win', () => {
    // w1 "a" [0,30] and w2 "b" [10,20] overlap: either may be last. w3 "c" is info: it may apply late.
    const history = [...op(0, 'write', 'a', 'ok', 0, 30), ...op(1, 'write', 'b', 'ok', 10, 20), ...op(2, 'write', 'c', 'info', 40, 50)];
    for (const value of ['a', 'b', 'c']) expect(checkConvergence(replicas({ k: value }, { k: value }), history).verdict, value).toBe('holds');
    // "z" was never written: a phantom.
    expect(checkConvergence(replicas({ k: 'z' }, { k: 'z' }), history).verdict).toBe('violated');
  });

  it('replicas that disagree are named with their values', () => {
    const history = op(0, 'write', 'a', 'ok', 0, 10);
    const verdict = checkConvergence(replicas({ k: 'a' }, { k: 'a' }, {}), history);
    expect(verdict.verdict === 'violated' && verdict.summary).toBe('replicas disagree on key "k" after the quiet period: n0 holds "a", n2 holds null');
  });

  it('a node without a replica (undefined) is left out; with no replica at all the verdict is unknown', () => {
    const history = op(0, 'write', 'a', 'ok', 0, 10);
    expect(checkConvergence(replicas({ k: 'a' }, undefined), history).verdict).toBe('holds');
    expect(checkConvergence(replicas(undefined), history).verdict).toBe('unknown');
  });

  it('counters: the sum of acknowledged adds plus some subset of the indeterminate ones', () => {
    // ok +1, ok +2, info +4, fail +8 (did not happen): reachable values are 3 and 7.
    const history = [...op(0, 'add', 1, 'ok', 0, 1), ...op(1, 'add', 2, 'ok', 0, 1), ...op(2, 'add', 4, 'info', 0, 1), ...op(3, 'add', 8, 'fail', 0, 1)];
    expect(checkConvergence(replicas({ k: 3 }), history).verdict).toBe('holds');
    expect(checkConvergence(replicas({ k: 7 }), history).verdict).toBe('holds');
    for (const value of [1, 5, 11, 15]) expect(checkConvergence(replicas({ k: value }), history).verdict, String(value)).toBe('violated');
  });

  it('sets: every acknowledged element present, no element nobody added; order does not matter', () => {
    const history = [...op(0, 'sadd', 1, 'ok', 0, 1), ...op(1, 'sadd', 2, 'info', 0, 1), ...op(2, 'sadd', 3, 'fail', 0, 1)];
    expect(checkConvergence(replicas({ k: [1, 2] }, { k: [2, 1] }), history).verdict).toBe('holds');
    expect(checkConvergence(replicas({ k: [1] }, { k: [1] }), history).verdict).toBe('holds');
    const missing = checkConvergence(replicas({ k: [2] }, { k: [2] }), history);
    expect(missing.verdict === 'violated' && missing.summary).toBe('set "k" lacks 1, whose add #0 was acknowledged');
    // 3's add failed: it must not be there.
    expect(checkConvergence(replicas({ k: [1, 3] }, { k: [1, 3] }), history).verdict).toBe('violated');
  });

  it('operations without a rule (queues) give unknown with the reason', () => {
    const verdict = checkConvergence(replicas({ k: [] }), op(0, 'enqueue', 1, 'ok', 0, 1));
    expect(verdict.verdict === 'unknown' && verdict.reason).toContain('no convergence rule for "enqueue"');
  });
});

describe('scenarios that ask for convergence (check.convergence)', () => {
  // test/scenarios.test.ts runs both on seeds 1-3 for their verdicts; these look at the details.
  it('raft-set-convergence: Raft converges after crashes and partitions', () => {
    const { result } = runScenario(loadScenarioFile('scenarios/raft-set-convergence.yaml'), { seed: 1 });
    expect(result.convergence).toEqual({ verdict: 'holds', detail: '5 replicas agree on 1 key', settle: 2_000_000 });
    expect(result.verdict.kind).toBe('pass');
  });

  it('pb-async-counter-convergence-unsafe: asynchronous replication loses acknowledged adds', () => {
    const { result } = runScenario(loadScenarioFile('scenarios/pb-async-counter-convergence-unsafe.yaml'), { seed: 1 });
    expect(result.verdict.kind).toBe('inconsistent');
    expect(result.verdict.detail).toMatch(/^not convergent: counter "k0" holds \d+, but the acknowledged adds sum to \d+/);
  });

  it('without check.convergence nothing changes: no quiet period, no replicas read', () => {
    const { result } = runScenario(loadScenarioFile('scenarios/raft-healthy.yaml'), { seed: 1 });
    expect(result.convergence).toBeUndefined();
  });
});
