// The example from docs/sweep.md, as users would write it (importing the package's entry point).
import { describe, it } from 'vitest';
import { assertNoViolations, parseScenario, registerProtocol, runSeeds } from '../../src/index.js';
import { plantedBugLog } from '../fixtures/protocols/log-protocols.mjs';

registerProtocol(plantedBugLog);

const crashesAndPartitions = parseScenario(`
nodes: 3
protocol: { name: planted-bug-log }
workload: { kind: register, clients: 2, thinkTime: 10ms }
faults:
  - { at: 100ms, every: 150ms, action: crash, node: random-minority, for: 30ms }
  - { at: 150ms, action: partition, partition: { shape: isolate, node: 2 }, for: 100ms }
duration: 400ms
`);

describe('docs/sweep.md example', () => {
  it('keeps its invariants across 500 seeds of crashes and partitions', async () => {
    assertNoViolations(await runSeeds(crashesAndPartitions, { seeds: 500 }));
  });
});
