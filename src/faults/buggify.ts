import type { RandomStream } from '../random/random-stream.js';
import type { Scenario } from '../scenario/scenario.js';
import { type Micros, millis, toMillis } from '../sim/time.js';
import type { ScheduledFault } from './fault.js';

/**
 * BUGGIFY for swarm mode (FoundationDB's simulator: code paths that fire rarely in production are
 * made to fire often under test). Random timing almost never crashes a node in the microseconds
 * between a decision it has announced and the next thing it does; these faults aim at exactly
 * those moments without knowing the protocol beyond its declared message types:
 *
 * - crash points: for a few message types, a node that sends one crashes right after the step that
 *   sent it (with a drawn probability) and restarts a few milliseconds later — inside the window
 *   where the others still act on what it said, and before its own timeouts fire;
 * - a cut-off point: for one message type, the sender is isolated for a while right after sending
 *   it (a leader cut off just after it replicated, a coordinator just after it decided);
 * - corner knobs (see drawSwarmOptions): every protocol option with a swarm range is pushed to
 *   one end of it half of the time, where thresholds and races meet (equal election timeouts,
 *   one entry per message, one message in flight).
 *
 * Drawn from the swarm stream's own `buggify` fork: a seed that does not enable it draws exactly
 * the fault mix, network and options it drew before BUGGIFY existed.
 */
export interface BuggifyDraw {
  faults: ScheduledFault[];
  /** Pushes option draws to the ends of their swarm ranges; undefined when corners are off. */
  corners: RandomStream | undefined;
}

/** Quick restarts: long enough to lose volatile state, short enough to beat every timeout. */
const CRASH_FOR: [Micros, Micros] = [millis(1), millis(30)];
const CUT_OFF_FOR: [Micros, Micros] = [millis(100), millis(600)];
const CRASH_PPM = [10_000, 50_000, 200_000];
const CUT_OFF_PPM = [20_000, 100_000, 300_000];

export function drawBuggify(scenario: Scenario, messageTypes: readonly string[], random: RandomStream, drawn: Record<string, string>): BuggifyDraw {
  if (!random.chance(1, 2) || messageTypes.length === 0) {
    drawn.buggify = 'off';
    return { faults: [], corners: undefined };
  }
  const window = { at: 0, until: scenario.duration };
  const faults: ScheduledFault[] = [];
  const described: string[] = [];
  const crashTypes = messageTypes.filter(() => random.chance(1, 3));
  if (crashTypes.length === 0) crashTypes.push(random.pick(messageTypes));
  for (const messageType of crashTypes) {
    const probabilityPpm = random.pick(CRASH_PPM);
    const duration = random.range(CRASH_FOR[0], CRASH_FOR[1]);
    faults.push({ ...window, duration, trigger: { messageType, probabilityPpm }, fault: { kind: 'crash', target: { kind: 'sender' }, tornWrite: random.chance(1, 4) } });
    described.push(`crash after ${messageType} ${percent(probabilityPpm)} for ${toMillis(duration)}ms`);
  }
  if (random.chance(1, 2)) {
    const messageType = random.pick(messageTypes);
    const probabilityPpm = random.pick(CUT_OFF_PPM);
    const duration = random.range(CUT_OFF_FOR[0], CUT_OFF_FOR[1]);
    faults.push({ ...window, duration, trigger: { messageType, probabilityPpm }, fault: { kind: 'partition', spec: { shape: 'isolate', target: { kind: 'sender' } } } });
    described.push(`isolate after ${messageType} ${percent(probabilityPpm)} for ${toMillis(duration)}ms`);
  }
  const corners = random.chance(1, 2) ? random.fork('corners') : undefined;
  if (corners !== undefined) described.push('corner knobs');
  drawn.buggify = described.join('; ');
  return { faults, corners };
}

function percent(ppm: number): string {
  return `${ppm / 10_000}%`;
}
