import { RandomStream } from '../random/random-stream.js';
import { runScenario } from '../run/run-scenario.js';
import { loadScenarioFile } from '../scenario/load.js';
import { EventQueue } from '../sim/event-queue.js';
import { BareHeap } from './bare-heap.js';
import { formatRate, isMain, medianMs, timesMs } from './measure.js';

const PENDING = 1_000;
const EVENTS = 2_000_000;

interface NoopTimer {
  kind: 'timer';
  node: number;
  cancelled: boolean;
}

/** Delays drawn once, so both loops pay nothing for randomness. */
function delays(): Float64Array {
  const random = new RandomStream('bench');
  const out = new Float64Array(4096);
  for (let i = 0; i < out.length; i++) out[i] = random.range(1, 10_000);
  return out;
}

/** Pops an event and pushes one later, keeping `PENDING` events in the heap: a hold model. */
export function bareHeapEventsPerSecond(): number {
  const delay = delays();
  const ms = medianMs(5, () => {
    const heap = new BareHeap(PENDING + 1);
    for (let i = 0; i < PENDING; i++) heap.push(delay[i & 4095] as number);
    for (let i = 0; i < EVENTS; i++) {
      const now = heap.pop();
      heap.push(now + (delay[i & 4095] as number));
    }
  });
  return EVENTS / (ms / 1000);
}

/** The same hold model through faultline's event queue, with payloads and the cancellation check. */
export function schedulerEventsPerSecond(): number {
  const delay = delays();
  let fired = 0;
  const ms = medianMs(5, () => {
    const queue = new EventQueue<NoopTimer>(PENDING + 1);
    for (let i = 0; i < PENDING; i++) queue.push(delay[i & 4095] as number, { kind: 'timer', node: i % 5, cancelled: false });
    for (let i = 0; i < EVENTS; i++) {
      const event = queue.pop();
      if (!event.cancelled) fired++;
      queue.push(queue.poppedTime + (delay[i & 4095] as number), event);
    }
  });
  if (fired === 0) throw new Error('no timer fired');
  return EVENTS / (ms / 1000);
}

export interface ScenarioBench {
  scenario: string;
  events: number;
  messages: number;
  simulatedSeconds: number;
  /** The median run's wall time. */
  wallSeconds: number;
  /** The fastest run's: the machine is shared, and other tenants only ever slow a run down. */
  fastestWallSeconds: number;
  repeats: number;
}

/**
 * Runs a scenario `repeats` times after `warmups` runs (a sweep runs thousands of seeds in one
 * process, so the optimised code is what it spends its time in) and reports the median run.
 */
export function scenarioBench(file: string, seed = 1, repeats = 15, warmups = 5): ScenarioBench {
  const scenario = loadScenarioFile(file);
  for (let i = 0; i < warmups; i++) runScenario(scenario, { seed, skipLinearizability: true });
  let events = 0;
  let messages = 0;
  let simulated = 0;
  const times = timesMs(repeats, () => {
    const { result } = runScenario(scenario, { seed, skipLinearizability: true });
    events = result.events;
    messages = result.messages.delivered;
    simulated = result.simulatedTime / 1e6;
  });
  return { scenario: file, events, messages, simulatedSeconds: simulated, wallSeconds: times.median / 1000, fastestWallSeconds: times.fastest / 1000, repeats };
}

export function printScenarioBench(bench: ScenarioBench): void {
  console.log(`  ${bench.scenario}: median of ${bench.repeats} runs after warm-up`);
  console.log(`    events      ${formatRate(bench.events / bench.wallSeconds)} (${bench.events.toLocaleString('en-US')} events in ${bench.wallSeconds.toFixed(3)} s)`);
  console.log(`    messages    ${formatRate(bench.messages / bench.wallSeconds)} delivered between nodes (fastest run ${formatRate(bench.messages / bench.fastestWallSeconds)})`);
  console.log(`    speed       ${(bench.simulatedSeconds / bench.wallSeconds).toFixed(0)} simulated seconds per wall second (fastest run ${(bench.simulatedSeconds / bench.fastestWallSeconds).toFixed(0)})`);
}

export function runCoreBench(): void {
  console.log('core: scheduler (hold model, 1,000 pending events, 2M events, median of 5)');
  const ceiling = bareHeapEventsPerSecond();
  const scheduler = schedulerEventsPerSecond();
  console.log(`  bare typed-array heap   ${formatRate(ceiling)}`);
  console.log(`  faultline EventQueue    ${formatRate(scheduler)}`);
  console.log(`  ratio                   ${(scheduler / ceiling).toFixed(2)} (target ≥ 0.50)`);
  console.log('core: 5-node primary-backup under faults (scenarios/pb-bench.yaml)');
  printScenarioBench(scenarioBench('scenarios/pb-bench.yaml'));
}

if (isMain(import.meta.url)) runCoreBench();
