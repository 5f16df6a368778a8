import { isMain } from './measure.js';
import { printScenarioBench, scenarioBench } from './core-bench.js';

/**
 * The standard Zab benchmark (issue 15): scenarios/zab-bench.yaml, the shape of raft-bench.yaml
 * (5 servers, 10 clients × 10 ops per simulated second, 50 ms ticks, the default fault mix, 60
 * simulated seconds), invariants checked on every step that changes what they read. Goal: at
 * least 0.8 of Raft's messages per second.
 */
export function runZabBench(): void {
  console.log('zab: standard benchmark (scenarios/zab-bench.yaml, one core)');
  printScenarioBench(scenarioBench('scenarios/zab-bench.yaml'));
}

if (isMain(import.meta.url)) runZabBench();
