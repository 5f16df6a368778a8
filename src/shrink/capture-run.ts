import type { Fault } from '../faults/fault.js';
import type { FaultEvent } from '../faults/nemesis.js';
import { drawSwarm } from '../faults/swarm.js';
import type { HistoryEvent } from '../history/operation.js';
import type { PartitionShape } from '../network/partition.js';
import type { NodeId } from '../protocol/effects.js';
import { findProtocol } from '../protocols/registry.js';
import { rootStream } from '../random/random-stream.js';
import type { Scenario } from '../scenario/scenario.js';
import { World } from '../sim/world.js';
import type { Micros } from '../sim/time.js';
import { InputError } from '../util/errors.js';

/**
 * One fault as it actually happened: its time, and the concrete nodes, partition shapes, links
 * and records it touched — symbolic targets (`leader`, `random-minority`) resolved.
 */
export interface FaultOccurrence {
  at: Micros;
  /** How long it lasted before being undone (from its schedule entry), if it is undone. */
  duration: Micros | undefined;
  fault: Fault;
  /** Nodes crashed, restarted, paused, resumed or re-clocked. */
  nodes: NodeId[];
  partitions: PartitionShape[];
  /** Directed links a network fault changed. */
  links: [NodeId, NodeId][];
  /** Records a corrupt fault damaged. */
  corrupted: { node: NodeId; key: string }[];
  /** Clients a crash-client fault killed. */
  clients: number[];
}

export interface CapturedRun {
  /** The scenario as the world ran it (after swarm drew its faults and network). */
  effective: Scenario;
  occurrences: FaultOccurrence[];
  history: HistoryEvent[];
}

/**
 * Runs a scenario and seed once more, watching the nemesis: every fault that fires is recorded
 * with what it touched. The probes wrap the world's fault entry points for this one run; they
 * observe and change nothing, so the run is the same run (same trace hash) as the original.
 */
export function captureRun(scenario: Scenario, seed: number): CapturedRun {
  const protocol = findProtocol(scenario.protocol.name);
  if (protocol === undefined) throw new InputError(`unknown protocol "${scenario.protocol.name}"`, scenario.file);
  const effective = scenario.swarm ? drawSwarm(scenario, rootStream(seed).fork('swarm'), protocol).scenario : scenario;
  const world = new World(effective, protocol, { seed, keepTrace: false });
  const occurrences: FaultOccurrence[] = [];
  let current: FaultOccurrence | undefined;

  const fire = world.nemesis.fire.bind(world.nemesis);
  world.nemesis.fire = (event: FaultEvent) => {
    if (event.phase !== 'start') return fire(event);
    const entry = effective.faults[event.entry]!;
    current = { at: world.now, duration: entry.duration, fault: entry.fault, nodes: [], partitions: [], links: [], corrupted: [], clients: [] };
    const recordedBefore = world.trace.count;
    try {
      fire(event);
      if (world.trace.count > recordedBefore) occurrences.push(current); // it fired (not after the safety phase)
    } finally {
      current = undefined;
    }
  };
  probeNodes(world, () => current);
  probeNetwork(world, () => current);
  world.run();
  return { effective, occurrences, history: world.history };
}

type Current = () => FaultOccurrence | undefined;

function probeNodes(world: World, current: Current): void {
  for (const method of ['crash', 'restart', 'pause', 'resume'] as const) {
    const original = world[method].bind(world) as (node: NodeId, ...rest: unknown[]) => void;
    (world as unknown as Record<string, unknown>)[method] = (node: NodeId, ...rest: unknown[]) => {
      const kind = current()?.fault.kind;
      if (kind === method || (kind === 'pause-client' && method === 'pause')) current()!.nodes.push(node);
      original(node, ...rest);
    };
  }
  const crashClient = world.crashClient.bind(world);
  world.crashClient = (client: number) => {
    if (current()?.fault.kind === 'crash-client') current()!.clients.push(client);
    crashClient(client);
  };
  for (const host of world.hosts) {
    const adjust = host.clock.adjust.bind(host.clock);
    host.clock.adjust = (global, offset, driftPpm) => {
      if (current()?.fault.kind === 'clock') current()!.nodes.push(host.id);
      adjust(global, offset, driftPpm);
    };
    const corrupt = host.disk.corrupt.bind(host.disk);
    host.disk.corrupt = (key: string) => {
      if (current()?.fault.kind === 'corrupt') current()!.corrupted.push({ node: host.id, key });
      return corrupt(key);
    };
  }
}

function probeNetwork(world: World, current: Current): void {
  const network = world.network;
  const partition = network.partition.bind(network);
  network.partition = (shape: PartitionShape) => {
    if (current()?.fault.kind === 'partition') current()!.partitions.push(shape);
    return partition(shape);
  };
  const link = network.link.bind(network);
  network.link = (from: NodeId, to: NodeId) => {
    // Only a network fault asks for links while a fault is being applied (no protocol code runs then).
    const occurrence = current();
    if (occurrence?.fault.kind === 'network' && !occurrence.links.some(([a, b]) => a === from && b === to)) occurrence.links.push([from, to]);
    return link(from, to);
  };
}
