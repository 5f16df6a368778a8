import { isMain } from './measure.js';
import { printScenarioBench, scenarioBench } from './core-bench.js';

/**
 * The standard Raft benchmark (issue 3): 5 nodes, 10 clients × 10 ops per simulated second,
 * 50 ms heartbeats, the default fault mix, 60 simulated seconds, invariants checked after every
 * step. Targets on one core: ≥ 1,000,000 messages/s and ≥ 1,000 simulated seconds per wall second.
 */
export function runRaftBench(): void {
  console.log('raft: standard benchmark (scenarios/raft-bench.yaml, one core)');
  printScenarioBench(scenarioBench('scenarios/raft-bench.yaml'));
}

if (isMain(import.meta.url)) runRaftBench();
