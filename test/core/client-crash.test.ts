import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/run/run-scenario.js';
import { parseScenario } from '../../src/scenario/load.js';

describe('a crashed client', () => {
  it('records its operation in flight as info and comes back as a new process', () => {
    const scenario = parseScenario(
      [
        'nodes: 3',
        'protocol: { name: raft }',
        'workload: { kind: cas-register, clients: 1, thinkTime: 1ms, requestTimeout: 1s }',
        // The leader is paused, so the client's request hangs; then the client dies.
        'faults:',
        '  - { at: 1s, action: pause, node: leader, for: 500ms }',
        '  - { at: 1200ms, action: crash-client, client: 0 }',
        'duration: 3s',
      ].join('\n'),
    );
    const { history, result } = runScenario(scenario, { seed: 4 });
    const crashed = history.find((event) => event.type === 'info' && event.error === 'client crashed');
    expect(crashed).toBeDefined();
    expect(crashed!.time).toBe(1_200_000);
    const after = history.filter((event) => event.time > 1_200_000 && event.type === 'invoke');
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((event) => event.process !== crashed!.process)).toBe(true);
    expect(result.verdict.kind).toBe('pass');
  });
});
