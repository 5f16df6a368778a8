import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadScenarioFile } from '../scenario/load.js';
import { runScenario } from '../run/run-scenario.js';
import { formatRate, isMain } from './measure.js';
import { printScenarioBench, scenarioBench, type ScenarioBench } from './core-bench.js';

/**
 * Multi-Paxos beside Raft on the same benchmark shape (scenarios/paxos-bench.yaml and
 * raft-bench.yaml are the same file but for the protocol name: 5 nodes, 10 clients × 10 ops per
 * simulated second, 50 ms heartbeats, the default fault mix, 60 simulated seconds): simulated
 * seconds per wall second, messages per second, messages per committed operation.
 * Goal (issue 14): Multi-Paxos at ≥ 0.8 of Raft's messages per second.
 *
 * Each measurement runs in a fresh Node process (in one process the second protocol would run
 * on code the first one shaped, see main.ts), and the two protocols alternate, `ROUNDS` times
 * each, so that a busy machine slows both alike; each protocol's median round is reported.
 */
const ROUNDS = 3;
const PROTOCOLS = [
  { name: 'raft', file: 'scenarios/raft-bench.yaml' },
  { name: 'multi-paxos', file: 'scenarios/paxos-bench.yaml' },
] as const;

interface Measured {
  bench: ScenarioBench;
  ok: number;
  messagesPerOk: number;
}

/** One protocol's benchmark in this process (the child's side). */
function measure(file: string): Measured {
  const bench = scenarioBench(file);
  // One more run for the operation counts (the benchmark runs skip the linearizability check).
  const { result } = runScenario(loadScenarioFile(file), { seed: 1, skipLinearizability: true });
  return { bench, ok: result.operations.ok, messagesPerOk: result.messages.delivered / Math.max(1, result.operations.ok) };
}

function measureInChild(file: string): Measured {
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, [script, '--measure', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (child.status !== 0) throw new Error(`paxos-bench: measuring ${file} exited with ${child.status ?? child.signal}`);
  return JSON.parse(child.stdout) as Measured;
}

const messagesPerSecond = (measured: Measured): number => measured.bench.messages / measured.bench.wallSeconds;

export function runPaxosBench(): void {
  console.log(`multi-paxos beside raft: standard benchmark (one core; fresh process per measurement, alternating, median of ${ROUNDS} rounds each)`);
  const rounds: Measured[][] = PROTOCOLS.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    PROTOCOLS.forEach(({ file }, at) => rounds[at]!.push(measureInChild(file)));
  }
  const median = rounds.map((list) => [...list].sort((a, b) => messagesPerSecond(a) - messagesPerSecond(b))[Math.floor(list.length / 2)] as Measured);
  PROTOCOLS.forEach(({ name }, at) => {
    const measured = median[at] as Measured;
    console.log(`  ${name}:`);
    printScenarioBench(measured.bench);
    console.log(`    per op      ${measured.messagesPerOk.toFixed(1)} messages per committed operation (${measured.ok.toLocaleString('en-US')} ok, ${formatRate(measured.ok / measured.bench.wallSeconds)})`);
    console.log(`    rounds      ${rounds[at]!.map((m) => formatRate(messagesPerSecond(m))).join(', ')} messages`);
  });
  const [raft, paxos] = median as [Measured, Measured];
  const ratio = messagesPerSecond(paxos) / messagesPerSecond(raft);
  const speed = paxos.bench.simulatedSeconds / paxos.bench.wallSeconds / (raft.bench.simulatedSeconds / raft.bench.wallSeconds);
  const fastest = paxos.bench.messages / paxos.bench.fastestWallSeconds / (raft.bench.messages / raft.bench.fastestWallSeconds);
  console.log(`  ratio multi-paxos / raft`);
  console.log(`    messages per second          ${ratio.toFixed(2)} (goal ≥ 0.80: ${ratio >= 0.8 ? 'met' : 'not met'}; fastest runs ${fastest.toFixed(2)})`);
  console.log(`    simulated seconds per wall s ${speed.toFixed(2)}`);
  console.log(`    messages per committed op    ${(paxos.messagesPerOk / raft.messagesPerOk).toFixed(2)} (Raft's linearizable reads are heartbeat rounds, Multi-Paxos's go through the log)`);
}

if (isMain(import.meta.url)) {
  const at = process.argv.indexOf('--measure');
  if (at >= 0) process.stdout.write(JSON.stringify(measure(process.argv[at + 1] as string)));
  else runPaxosBench();
}
