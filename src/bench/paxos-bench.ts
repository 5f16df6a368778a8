import { loadScenarioFile } from '../scenario/load.js';
import { runScenario } from '../run/run-scenario.js';
import { formatRate, isMain } from './measure.js';
import { printScenarioBench, scenarioBench, type ScenarioBench } from './core-bench.js';

/**
 * Multi-Paxos beside Raft on the same benchmark shape (scenarios/paxos-bench.yaml and
 * raft-bench.yaml: 5 nodes, 10 clients × 10 ops per simulated second, 50 ms heartbeats, the
 * default fault mix, 60 simulated seconds), measured one after the other in this process:
 * simulated seconds per wall second, messages per second, messages per committed operation.
 * Goal (issue 14): Multi-Paxos at ≥ 0.8 of Raft's messages per second.
 */
export function runPaxosBench(): void {
  console.log('multi-paxos beside raft: standard benchmark (one core)');
  const paxos = measure('scenarios/paxos-bench.yaml');
  const raft = measure('scenarios/raft-bench.yaml');
  const ratio = paxos.bench.messages / paxos.bench.wallSeconds / (raft.bench.messages / raft.bench.wallSeconds);
  console.log(`  multi-paxos / raft messages per second: ${ratio.toFixed(2)} (goal ≥ 0.80: ${ratio >= 0.8 ? 'met' : 'not met'})`);
}

function measure(file: string): { bench: ScenarioBench; messagesPerOk: number } {
  const bench = scenarioBench(file);
  printScenarioBench(bench);
  // One more run for the operation counts (the benchmark runs skip the linearizability check).
  const { result } = runScenario(loadScenarioFile(file), { seed: 1, skipLinearizability: true });
  const messagesPerOk = result.messages.delivered / Math.max(1, result.operations.ok);
  console.log(`    per op      ${messagesPerOk.toFixed(1)} messages per committed operation (${result.operations.ok.toLocaleString('en-US')} ok, ${formatRate(result.operations.ok / bench.wallSeconds)})`);
  return { bench, messagesPerOk };
}

if (isMain(import.meta.url)) runPaxosBench();
