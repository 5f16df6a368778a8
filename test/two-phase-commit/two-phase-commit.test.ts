import { describe, expect, it } from 'vitest';
import { checkHistory, modelByName } from '../../src/check/index.js';
import type { HistoryEvent } from '../../src/history/operation.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenarioFile, parseScenario } from '../../src/scenario/load.js';

const seeds = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

describe('two-phase commit keeps atomicity under crashes, partitions and a lossy network', () => {
  it.each(['scenarios/2pc-crash-restart-storm.yaml', 'scenarios/2pc-partitions.yaml'])('%s passes seeds 4..9 (scenarios.test.ts runs 1..3)', (file) => {
    const scenario = loadScenarioFile(file);
    for (const seed of seeds(4, 6)) {
      const { result } = runScenario(scenario, { seed });
      expect(`seed ${seed}: ${result.verdict.kind} ${result.verdict.detail}`).toBe(`seed ${seed}: pass `);
      // Real work happened: transfers committed, and recovery paths were taken.
      expect(result.operations.ok, `seed ${seed}`).toBeGreaterThan(50);
      expect(result.marks['txn-committed'], `seed ${seed}`).toBeGreaterThan(50);
    }
  });

  it('a restarted participant recovers its prepared transactions, and the coordinator answers presumed abort', () => {
    const scenario = loadScenarioFile('scenarios/2pc-crash-restart-storm.yaml');
    const marks = seeds(1, 3).map((seed) => runScenario(scenario, { seed }).result.marks);
    expect(marks.some((m) => (m['prepared-recovered'] ?? 0) > 0)).toBe(true);
    expect(marks.some((m) => (m['presumed-abort'] ?? 0) > 0)).toBe(true);
    expect(marks.some((m) => (m['in-doubt-asked'] ?? 0) > 0)).toBe(true);
  });
});

describe('each planted 2PC bug is caught by the invariant it breaks', () => {
  it.each([
    ['scenarios/2pc-vote-before-log-unsafe.yaml', 'commit-applies-writes'],
    ['scenarios/2pc-commit-before-log-unsafe.yaml', 'atomicity'],
    ['scenarios/2pc-abort-when-prepared-unsafe.yaml', 'atomicity'],
  ])('%s is caught (%s) on most of 20 seeds', (file, invariant) => {
    const scenario = loadScenarioFile(file);
    const caught = seeds(1, 20).filter((seed) => {
      const { verdict } = runScenario(scenario, { seed }).result;
      return verdict.kind === 'invariant' && verdict.detail.includes(`invariant ${invariant} violated`);
    });
    expect(caught.length).toBeGreaterThanOrEqual(14);
  });
});

describe('workloads and protocols that do not fit are refused at load', () => {
  it('raft does not serve the bank, and two-phase commit serves nothing else', () => {
    expect(() => parseScenario('nodes: 3\nprotocol: { name: raft }\nworkload: { kind: bank }\nduration: 1s')).toThrow(/raft does not serve the bank workload; expected register, cas-register/);
    expect(() => parseScenario('nodes: 3\nprotocol: { name: two-phase-commit }\nworkload: { kind: register }\nduration: 1s')).toThrow(/two-phase-commit does not serve the register workload; expected bank/);
    // Without a workload, a protocol gets the first it serves.
    expect(parseScenario('nodes: 3\nprotocol: { name: two-phase-commit }\nduration: 1s').workload.kind).toBe('bank');
  });
});

describe('the bank model', () => {
  const model = modelByName('bank')!;
  const event = (process: number, type: HistoryEvent['type'], f: string, value: HistoryEvent['value'], time: number): HistoryEvent => ({ process, type, f, key: 'bank', value, time });

  it('accepts reads that see a transfer entirely or not at all', () => {
    // Transfer 3 a0→a1 overlaps both reads; the first read sees nothing, the second all of it.
    const history = [
      event(0, 'invoke', 'transfer', ['a0', 'a1', 3], 0),
      event(1, 'invoke', 'read', null, 1),
      event(1, 'ok', 'read', {}, 2),
      event(1, 'invoke', 'read', null, 3),
      event(1, 'ok', 'read', { a0: -3, a1: 3 }, 4),
      event(0, 'ok', 'transfer', null, 5),
    ];
    expect(checkHistory(history, model).verdict).toBe('linearizable');
  });

  it('refuses a read that sees half a transfer', () => {
    // a0 debited but a1 not credited: no order of whole transfers explains it.
    const history = [event(0, 'invoke', 'transfer', ['a0', 'a1', 3], 0), event(0, 'ok', 'transfer', null, 1), event(1, 'invoke', 'read', null, 2), event(1, 'ok', 'read', { a0: -3 }, 3)];
    expect(checkHistory(history, model).verdict).toBe('not linearizable');
  });

  it('leaves out an aborted transfer', () => {
    const history = [event(0, 'invoke', 'transfer', ['a0', 'a1', 3], 0), event(0, 'fail', 'transfer', null, 1), event(1, 'invoke', 'read', null, 2), event(1, 'ok', 'read', {}, 3)];
    expect(checkHistory(history, model).verdict).toBe('linearizable');
  });
});
