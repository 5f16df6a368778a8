import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/run/run-scenario.js';
import { parseScenario } from '../../src/scenario/load.js';

function invokes(lines: string[], seed = 1) {
  const { history, result } = runScenario(parseScenario(['nodes: 3', 'protocol: { name: raft }', ...lines].join('\n')), { seed, skipLinearizability: true });
  return { times: history.filter((event) => event.type === 'invoke').map((event) => event.time), result };
}

describe('workload timing', () => {
  it('open loop: operations arrive at the rate, and arrivals during an outage are served after it', () => {
    const calm = invokes(['workload: { kind: register, clients: 1, rate: 20 }', 'duration: 10s']);
    expect(calm.times.length).toBeGreaterThan(180);
    expect(calm.times.length).toBeLessThan(220);
    // The only node a client talks to stalls for 2s; the arrivals keep coming and wait.
    const stalled = invokes(['workload: { kind: register, clients: 1, rate: 20, requestTimeout: 5s }', 'faults:', '  - { at: 3s, action: pause, node: all, for: 2s }', 'duration: 10s']);
    expect(stalled.times.length).toBeGreaterThan(180);
    const gaps = stalled.times.slice(1).map((time, index) => time - stalled.times[index]!);
    expect(Math.max(...gaps)).toBeGreaterThan(1_500_000); // the stall
    expect(gaps.filter((gap) => gap < 20_000).length).toBeGreaterThan(10); // the catch-up burst
  });

  it('closed loop: the next operation waits for the last one plus think time', () => {
    const { times } = invokes(['workload: { kind: register, clients: 1, thinkTime: 100ms }', 'duration: 10s']);
    const gaps = times.slice(1).map((time, index) => time - times[index]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(50_000);
    expect(times.length).toBeLessThan(110);
  });

  it('a hot key takes its share of the operations', () => {
    const { history, result } = runScenario(parseScenario(['nodes: 3', 'protocol: { name: raft }', 'workload: { kind: register, clients: 3, keys: 10, hotKeyPercent: 80 }', 'duration: 5s'].join('\n')), { seed: 2 });
    const invoked = history.filter((event) => event.type === 'invoke');
    const hot = invoked.filter((event) => event.key === 'k0').length / invoked.length;
    // 80% go to k0 directly, and the uniform 20% land there a tenth of the time: 82% expected.
    expect(hot).toBeGreaterThan(0.77);
    expect(hot).toBeLessThan(0.87);
    expect(new Set(invoked.map((event) => event.key)).size).toBe(10);
    expect(result.verdict.kind).toBe('pass');
  });
});
