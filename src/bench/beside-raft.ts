import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadScenarioFile } from '../scenario/load.js';
import { runScenario } from '../run/run-scenario.js';
import { formatRate, isMain } from './measure.js';
import { printScenarioBench, scenarioBench, type ScenarioBench } from './core-bench.js';

/**
 * A consensus protocol beside Raft on the same benchmark shape (each `<protocol>-bench.yaml` is
 * raft-bench.yaml but for the protocol name: 5 nodes, 10 clients × 10 ops per simulated second,
 * 50 ms ticks, the default fault mix, 60 simulated seconds): simulated seconds per wall second,
 * messages per second, messages per committed operation. Goal (issues 14 and 15): at least 0.8
 * of Raft's messages per second.
 *
 * Each measurement runs in a fresh Node process (in one process the second protocol would run
 * on code the first one shaped, see main.ts), and the two protocols alternate, `ROUNDS` times
 * each, so that a busy machine slows both alike; each protocol's median round is reported.
 */
const ROUNDS = 3;
const RAFT = { name: 'raft', file: 'scenarios/raft-bench.yaml' };
const GOAL = 0.8;

export interface BesideRaft {
  name: string;
  file: string;
  /** Why the messages-per-operation ratio is what it is (printed beside it). */
  perOpNote: string;
}

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
  if (child.status !== 0) throw new Error(`bench: measuring ${file} exited with ${child.status ?? child.signal}`);
  return JSON.parse(child.stdout) as Measured;
}

const messagesPerSecond = (measured: Measured): number => measured.bench.messages / measured.bench.wallSeconds;

function medianRound(list: Measured[]): Measured {
  return [...list].sort((a, b) => messagesPerSecond(a) - messagesPerSecond(b))[Math.floor(list.length / 2)] as Measured;
}

function printMeasured(name: string, measured: Measured, rounds: Measured[]): void {
  console.log(`  ${name}:`);
  printScenarioBench(measured.bench);
  console.log(`    per op      ${measured.messagesPerOk.toFixed(1)} messages per committed operation (${measured.ok.toLocaleString('en-US')} ok, ${formatRate(measured.ok / measured.bench.wallSeconds)})`);
  console.log(`    rounds      ${rounds.map((m) => formatRate(messagesPerSecond(m))).join(', ')} messages`);
}

export function runBesideRaft(other: BesideRaft): void {
  console.log(`${other.name} beside raft: standard benchmark (one core; fresh process per measurement, alternating, median of ${ROUNDS} rounds each)`);
  const protocols = [RAFT, other];
  const rounds: Measured[][] = protocols.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    protocols.forEach(({ file }, at) => rounds[at]!.push(measureInChild(file)));
  }
  const [raft, them] = rounds.map(medianRound) as [Measured, Measured];
  printMeasured(RAFT.name, raft, rounds[0]!);
  printMeasured(other.name, them, rounds[1]!);
  const ratio = messagesPerSecond(them) / messagesPerSecond(raft);
  const speed = them.bench.simulatedSeconds / them.bench.wallSeconds / (raft.bench.simulatedSeconds / raft.bench.wallSeconds);
  const fastest = them.bench.messages / them.bench.fastestWallSeconds / (raft.bench.messages / raft.bench.fastestWallSeconds);
  console.log(`  ratio ${other.name} / raft`);
  console.log(`    messages per second          ${ratio.toFixed(2)} (goal ≥ ${GOAL.toFixed(2)}: ${ratio >= GOAL ? 'met' : 'not met'}; fastest runs ${fastest.toFixed(2)})`);
  console.log(`    simulated seconds per wall s ${speed.toFixed(2)}`);
  console.log(`    messages per committed op    ${(them.messagesPerOk / raft.messagesPerOk).toFixed(2)} (${other.perOpNote})`);
}

if (isMain(import.meta.url)) {
  const at = process.argv.indexOf('--measure');
  if (at < 0) throw new Error('beside-raft.js is run by paxos-bench.js and zab-bench.js, or as `beside-raft.js --measure <scenario>`');
  process.stdout.write(JSON.stringify(measure(process.argv[at + 1] as string)));
}
