import { isMain } from './measure.js';
import { printScenarioBench, scenarioBench } from './core-bench.js';

/**
 * The standard Raft benchmark (issue 3): 5 nodes, 10 clients × 10 ops per simulated second,
 * 50 ms heartbeats, the default fault mix, 60 simulated seconds, invariants checked on every
 * step that changes what they read. Targets on one core: ≥ 1,000,000 messages/s and ≥ 1,000
 * simulated seconds per wall second.
 */
export function runRaftBench(): void {
  console.log('raft: standard benchmark (scenarios/raft-bench.yaml, one core)');
  const bench = scenarioBench('scenarios/raft-bench.yaml');
  printScenarioBench(bench);
  const messages = bench.messages / bench.wallSeconds;
  const speed = bench.simulatedSeconds / bench.wallSeconds;
  const verdict = (met: boolean) => (met ? 'met' : 'not met');
  console.log(`    targets     1,000,000 messages/s: ${verdict(messages >= 1e6)}; 1,000 simulated s per wall s: ${verdict(speed >= 1000)} (median run)`);
}

if (isMain(import.meta.url)) runRaftBench();
