import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/run/run-scenario.js';
import { parseScenario } from '../../src/scenario/load.js';
import { InputError } from '../../src/util/errors.js';

/** The one line the CLI would print for the InputError `action` throws. */
function describeError(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof InputError) return error.describe();
    throw error;
  }
  return '(no error)';
}

const scripted = (script: string, extra = '') =>
  parseScenario(
    `
nodes: 3
protocol: { name: primary-backup }
workload:
  kind: cas-register
${extra}  script: ${script}
duration: 2s
`,
    'scripted.yaml',
  );

describe('workload.script: explicit client operations', () => {
  it('has each client invoke exactly its list, in order, and then stop', () => {
    const scenario = scripted('[[{f: write, key: k0, value: a}, {f: read, key: k0}, {f: cas, key: k0, value: [a, b]}], []]');
    const { history } = runScenario(scenario, { seed: 5 });

    expect(scenario.workload.clients).toBe(2);
    const invoked = history.filter((event) => event.type === 'invoke').map(({ process, f, key, value }) => ({ process, f, key, value }));
    expect(invoked).toEqual([
      { process: 0, f: 'write', key: 'k0', value: 'a' },
      { process: 0, f: 'read', key: 'k0', value: null },
      { process: 0, f: 'cas', key: 'k0', value: ['a', 'b'] },
    ]);
  });

  it('waits for an operation\'s `at` time, so dropping earlier operations does not move it', () => {
    const scenario = scripted('[[{f: write, key: k0, value: a}, {f: read, key: k0, at: 700ms}]]');
    const { history } = runScenario(scenario, { seed: 5 });

    const invokeTimes = history.filter((event) => event.type === 'invoke').map((event) => event.time);
    expect(invokeTimes).toHaveLength(2);
    expect(invokeTimes[0]).toBeLessThan(100_000);
    expect(invokeTimes[1]).toBe(700_000);
  });

  it('rejects operations the workload does not know, naming the field', () => {
    expect(describeError(() => scripted('[[{f: lock, key: k0}]]'))).toMatch(/workload\.script\[0\]\[0\]\.f: operation "lock" is not part of this workload/);
  });

  it('rejects a client count that disagrees with the script', () => {
    expect(describeError(() => scripted('[[{f: read, key: k0}]]', '  clients: 2\n'))).toMatch(/workload\.clients: the script has operations for 1 clients, not 2/);
  });
});
