import { TimeBudget } from '../check/budget.js';
import { causalOrder } from '../check/consistency/causal-order.js';
import { checkCausal } from '../check/consistency/causal.js';
import { sessionGuarantees } from '../check/consistency/models.js';
import { registerView } from '../check/consistency/register-view.js';
import { checkSequential } from '../check/consistency/sequential.js';
import { checkSessionGuarantee } from '../check/consistency/session-guarantees.js';
import { registerModel } from '../check/models/register.js';
import { pairOperations } from '../check/pair-operations.js';
import type { HistoryEvent } from '../history/operation.js';
import { BenchRandom } from './check-stress-histories.js';

/**
 * Benchmarks of the consistency checks (`npm run bench:check`): causal and the session
 * guarantees on 100,000 operations, sequential consistency on 1,000 operations of 10 processes on
 * one key (a linearizable history, and a sequentially consistent one with stale reads that real
 * time forbids), and a pathological history that must end `unknown` within its budget.
 */
export function runConsistencyBench(): void {
  console.log('consistency checks (register model, unique written values):');
  benchCausalFamily(100_000, 10, 10);
  benchSequential('linearizable, 1,000 ops, 10 processes, 1 key', replicatedHistory({ operations: 1000, processes: 10, keys: 1, maxLag: 0, seed: 5 }), 10_000);
  benchSequential('sequential with stale reads (lag ≤ 5 writes), 1,000 ops, 10 processes, 1 key', replicatedHistory({ operations: 1000, processes: 10, keys: 1, maxLag: 5, seed: 6 }), 10_000);
  benchSequential('pathological: reads of random values, 300 ops, 10 processes, 1 key, 3 s budget', randomReadsHistory(300, 10, 7), 3_000);
}

export function benchCausalFamily(operations: number, processes: number, keys: number): void {
  const events = replicatedHistory({ operations, processes, keys, maxLag: 3, seed: 4 });
  const ops = pairOperations(events, registerModel).operations;
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const start = performance.now(); // wall clock ok: benchmark
  const cpuStart = process.cpuUsage();
  const view = registerView(registerModel, ops);
  if (view.kind !== 'view') throw new Error(view.reason);
  const order = causalOrder(view.view, 512 * 2 ** 20);
  if (order.kind !== 'order') throw new Error('clocks too large');
  const clocksMs = performance.now() - start; // wall clock ok: benchmark
  const describe = (op: number): string => `#${view.view.ids[op]}`;
  const verdicts = [`causal ${checkCausal(order.order, describe).verdict}`];
  for (const guarantee of sessionGuarantees) verdicts.push(`${guarantee} ${checkSessionGuarantee(guarantee, order.order, describe).verdict}`);
  const totalMs = performance.now() - start; // wall clock ok: benchmark
  const cpu = process.cpuUsage(cpuStart);
  const memory = process.memoryUsage();
  console.log(`  causal + 4 session guarantees, ${operations.toLocaleString('en-US')} ops, ${processes} processes, ${keys} keys (stale reads, lag ≤ 3): ${totalMs.toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU (view and clocks ${clocksMs.toFixed(0)} ms wall); ${verdicts.join(', ')}`);
  console.log(`    heap ${((memory.heapUsed - heapBefore) / 1048576).toFixed(0)} MiB above baseline, RSS ${(memory.rss / 1048576).toFixed(0)} MiB`);
}

function benchSequential(title: string, events: HistoryEvent[], timeoutMs: number): void {
  const ops = pairOperations(events, registerModel).operations;
  const start = performance.now(); // wall clock ok: benchmark
  const cpuStart = process.cpuUsage();
  const result = checkSequential(registerModel, ops, { time: new TimeBudget(timeoutMs), memoryBytes: 512 * 2 ** 20 });
  const ms = performance.now() - start; // wall clock ok: benchmark
  const cpu = process.cpuUsage(cpuStart);
  const verdict = result.answer.verdict === 'unknown' ? `unknown (${result.answer.reason})` : result.answer.verdict;
  console.log(`  sequential, ${title}: ${verdict} in ${ms.toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU, ${result.configurations.toLocaleString('en-US')} configurations, RSS ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB`);
}

/**
 * A replicated register store: writes go to one global order (unique values); each process reads
 * from a replica that lags the global order by up to `maxLag` writes but never goes backwards
 * and always includes the process's own writes. Sequentially consistent by construction
 * (order the operations by the prefix of writes each saw); with `maxLag` 0 also linearizable.
 */
function replicatedHistory(shape: { operations: number; processes: number; keys: number; maxLag: number; seed: number }): HistoryEvent[] {
  const random = new BenchRandom(shape.seed);
  const writes: { key: number; value: number }[] = [];
  const seen = new Array<number>(shape.processes).fill(0); // per process: writes visible to it
  const events: HistoryEvent[] = [];
  let time = 0;
  for (let index = 0; index < shape.operations; index++) {
    const process = random.below(shape.processes);
    const key = random.below(shape.keys);
    time += 1;
    if (random.below(3) === 0) {
      writes.push({ key, value: index + 1 });
      seen[process] = writes.length;
      events.push({ process, type: 'invoke', f: 'write', key: `k${key}`, value: index + 1, time }, { process, type: 'ok', f: 'write', key: `k${key}`, value: index + 1, time });
      continue;
    }
    const lagged = Math.max(seen[process] as number, writes.length - random.below(shape.maxLag + 1));
    seen[process] = lagged;
    let value: number | null = null;
    for (let at = lagged - 1; at >= 0; at--) {
      const write = writes[at] as { key: number; value: number };
      if (write.key === key) {
        value = write.value;
        break;
      }
    }
    events.push({ process, type: 'invoke', f: 'read', key: `k${key}`, value: null, time }, { process, type: 'ok', f: 'read', key: `k${key}`, value, time });
  }
  return events;
}

/** Writes of unique values and reads of random written values: no real time in SC, so the order is wide open and rarely legal. */
function randomReadsHistory(operations: number, processes: number, seed: number): HistoryEvent[] {
  const random = new BenchRandom(seed);
  const events: HistoryEvent[] = [];
  let written = 0;
  for (let index = 0; index < operations; index++) {
    const process = index % processes;
    if (random.below(2) === 0 || written === 0) {
      written++;
      events.push({ process, type: 'invoke', f: 'write', value: written, time: 2 * index }, { process, type: 'ok', f: 'write', value: written, time: 2 * index + 1 });
    } else {
      events.push({ process, type: 'invoke', f: 'read', value: null, time: 2 * index }, { process, type: 'ok', f: 'read', value: 1 + random.below(written), time: 2 * index + 1 });
    }
  }
  return events;
}
