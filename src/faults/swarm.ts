import type { LatencyDistribution } from '../network/latency.js';
import { describeLatency } from '../network/latency.js';
import { PPM, type LinkSettings } from '../network/link.js';
import type { OptionsSpec } from '../protocol/options.js';
import type { RandomStream } from '../random/random-stream.js';
import type { Scenario } from '../scenario/scenario.js';
import { type Micros, millis, toMillis } from '../sim/time.js';
import { drawBuggify } from './buggify.js';
import type { Fault, PartitionSpec, ScheduledFault } from './fault.js';
import { drawSwarmOptions } from './swarm-options.js';

/** The shortest a swarm partition or pause lasts: shorter ones only add noise. */
const MIN_FAULT_DURATION = millis(200);

export interface SwarmDraw {
  scenario: Scenario;
  /** Every option the seed drew, for the summary and result.json. */
  drawn: Record<string, string>;
}

/** What swarm mode needs of the protocol: its option ranges and its message types (for BUGGIFY). */
export interface SwarmProtocol {
  options: OptionsSpec<unknown>;
  messages: Readonly<Record<string, string>>;
}

type SwarmKind = 'crash' | 'pause' | 'partition' | 'clock' | 'network' | 'flapping';
const KINDS: SwarmKind[] = ['crash', 'pause', 'partition', 'clock', 'network', 'flapping'];

/**
 * Swarm testing (TigerBeetle's VOPR, Groce et al.): the seed draws the whole fault mix — which
 * kinds, how often, how long, the latency distribution, loss, duplication and reordering — so a
 * sweep over seeds explores many different worlds, not one world many times. Draws come from the
 * `swarm` stream only (protocol options from its `options` fork, see swarm-options.ts; BUGGIFY's
 * aimed faults from its `buggify` fork, see buggify.ts). Faults fall inside the safety phase; targets are symbolic and bounded by
 * the nemesis (never more than a minority down at once).
 */
export function drawSwarm(scenario: Scenario, random: RandomStream, protocol?: SwarmProtocol): SwarmDraw {
  const drawn: Record<string, string> = {};
  const defaults = drawNetwork(random, drawn);
  const enabled = KINDS.filter(() => random.chance(1, 2));
  if (enabled.length === 0) enabled.push(random.pick(KINDS));
  drawn.faults = enabled.join(',');
  const faults: ScheduledFault[] = [...scenario.faults];
  for (const kind of enabled) {
    const interval = random.range(millis(500), millis(5_000));
    const longest = random.range(MIN_FAULT_DURATION, millis(3_000));
    drawn[`${kind}.every`] = `~${toMillis(interval)}ms`;
    drawn[`${kind}.for`] = `≤${toMillis(longest)}ms`;
    for (let at = random.range(0, interval); at < scenario.duration; at += random.range(Math.ceil(interval / 2), interval + Math.floor(interval / 2))) {
      const duration = Math.min(random.range(MIN_FAULT_DURATION, longest), scenario.duration - at);
      faults.push(drawFault(kind, at, Math.max(1, duration), random));
    }
  }
  const buggify = drawBuggify(scenario, Object.keys(protocol?.messages ?? {}), random.fork('buggify'), drawn);
  faults.push(...buggify.faults);
  faults.sort((a, b) => a.at - b.at);
  const withOptions = drawSwarmOptions(scenario, protocol?.options, random.fork('options'), drawn, buggify.corners);
  return { scenario: { ...withOptions, faults, network: { ...scenario.network, defaults } }, drawn };
}

function drawNetwork(random: RandomStream, drawn: Record<string, string>): LinkSettings {
  const latencies: LatencyDistribution[] = [
    { kind: 'constant', value: millis(2) },
    { kind: 'uniform', min: millis(1), max: millis(random.range(2, 20)) },
    { kind: 'exponential', min: millis(1), mean: millis(random.range(1, 10)) },
    { kind: 'long-tail', median: millis(2), p99: millis(random.range(10, 100)) },
  ];
  const latency = random.pick(latencies);
  const lossPpm = random.pick([0, 1_000, 10_000, 50_000]);
  const duplicatePpm = random.pick([0, 1_000, 10_000, 50_000]);
  const reorderPpm = random.pick([0, 10_000, 100_000]);
  const reorderDelay = millis(random.range(5, 50));
  drawn.latency = describeLatency(latency);
  drawn.loss = `${(lossPpm / PPM) * 100}%`;
  drawn.duplicate = `${(duplicatePpm / PPM) * 100}%`;
  drawn.reorder = reorderPpm === 0 ? 'off' : `${(reorderPpm / PPM) * 100}% by ${toMillis(reorderDelay)}ms`;
  return { latency, lossPpm, duplicatePpm, reorderPpm, reorderDelay, extraDelay: 0 };
}

function drawFault(kind: SwarmKind, at: Micros, duration: Micros, random: RandomStream): ScheduledFault {
  return { at, duration, fault: drawFaultBody(kind, random) };
}

function drawFaultBody(kind: SwarmKind, random: RandomStream): Fault {
  switch (kind) {
    case 'crash':
      return { kind: 'crash', target: random.chance(1, 3) ? { kind: 'leader' } : { kind: 'random-minority' }, tornWrite: random.chance(1, 4) };
    case 'pause':
      return { kind: 'pause', target: random.chance(1, 3) ? { kind: 'leader' } : { kind: 'random' } };
    case 'partition':
    case 'flapping':
      return { kind: 'partition', spec: drawPartition(random) };
    case 'clock':
      return { kind: 'clock', target: { kind: 'random' }, offset: millis(random.range(-500, 500)), driftPpm: random.range(-100_000, 100_000) };
    case 'network':
      return random.pick<Fault>([
        { kind: 'network', links: { kind: 'node', target: { kind: 'random' } }, change: { extraDelay: millis(random.range(10, 200)) } },
        { kind: 'network', links: { kind: 'all' }, change: { lossPpm: random.range(200_000, 500_000) } },
        { kind: 'network', links: { kind: 'all' }, change: { duplicatePpm: random.range(200_000, 500_000) } },
        { kind: 'network', links: { kind: 'all' }, change: { reorderPpm: random.range(200_000, 500_000), reorderDelay: millis(random.range(10, 100)) } },
      ]);
  }
}

function drawPartition(random: RandomStream): PartitionSpec {
  return random.pick<PartitionSpec>([
    { shape: 'isolate', target: { kind: 'leader' } },
    { shape: 'isolate', target: { kind: 'random' } },
    { shape: 'split', minority: { kind: 'random-minority' } },
    { shape: 'bridge' },
    { shape: 'majorities-ring' },
    { shape: 'one-way', from: { kind: 'random' }, to: { kind: 'random' } },
  ]);
}
