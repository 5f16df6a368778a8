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

  it('a map from client number to operations, with clients, leaves the others idle: the same run as the list with `[]`', () => {
    const list = scripted('[[], [], [{f: write, key: k0, value: a}, {f: read, key: k0}]]');
    const map = scripted('{ 2: [{f: write, key: k0, value: a}, {f: read, key: k0}] }', '  clients: 3\n');
    expect(map.workload.clients).toBe(3);
    expect(map.workload.script).toEqual(list.workload.script);
    expect(runScenario(map, { seed: 5 }).result.traceHash).toBe(runScenario(list, { seed: 5 }).result.traceHash);
  });

  it('a map needs clients, and names no client beyond them', () => {
    expect(describeError(() => scripted('{ 1: [{f: read, key: k0}] }'))).toMatch(/workload\.script: a script written as a map of client numbers needs workload\.clients/);
    expect(describeError(() => scripted('{ 3: [{f: read, key: k0}] }', '  clients: 2\n'))).toMatch(/no client 3: workload\.clients is 2, so clients are 0\.\.1/);
    expect(describeError(() => scripted('{ first: [{f: read, key: k0}] }', '  clients: 2\n'))).toMatch(/workload\.script/);
  });

  it('rejects a client count that disagrees with the script', () => {
    expect(describeError(() => scripted('[[{f: read, key: k0}]]', '  clients: 2\n'))).toMatch(/workload\.clients: the script has operations for 1 clients, not 2/);
  });
});
