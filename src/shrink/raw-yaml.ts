import type { LinkChange } from '../faults/fault.js';
import type { LatencyDistribution } from '../network/latency.js';
import { PPM, type LinkSettings, type PartitionMode } from '../network/link.js';
import { cutLinks, type PartitionShape } from '../network/partition.js';
import type { NodeId } from '../protocol/effects.js';
import { type Micros, MICROS_PER_MS, toMillis } from '../sim/time.js';
import { unreachable } from '../util/assert.js';

/** A YAML mapping as the scenario schema reads it. */
export type RawMapping = Record<string, unknown>;

/** `250ms` when whole milliseconds, else `1234us`: what the scenario schema reads back exactly. */
export function durationText(micros: Micros): string {
  const sign = micros < 0 ? '-' : '';
  const magnitude = Math.abs(micros);
  return magnitude % MICROS_PER_MS === 0 ? `${sign}${toMillis(magnitude)}ms` : `${sign}${magnitude}us`;
}

export function latencyRaw(latency: LatencyDistribution): RawMapping {
  switch (latency.kind) {
    case 'constant':
      return { distribution: 'constant', value: durationText(latency.value) };
    case 'uniform':
      return { distribution: 'uniform', min: durationText(latency.min), max: durationText(latency.max) };
    case 'exponential':
      return { distribution: 'exponential', min: durationText(latency.min), mean: durationText(latency.mean) };
    case 'long-tail':
      return { distribution: 'long-tail', median: durationText(latency.median), p99: durationText(latency.p99) };
    default:
      return unreachable(latency, 'latency distribution');
  }
}

/** The scenario's `network:` section for concrete link settings, leaving out what is off. */
export function networkRaw(settings: LinkSettings, partitionMode: PartitionMode): RawMapping {
  const raw: RawMapping = { latency: latencyRaw(settings.latency) };
  if (settings.lossPpm > 0) raw.loss = settings.lossPpm / PPM;
  if (settings.duplicatePpm > 0) raw.duplicate = settings.duplicatePpm / PPM;
  if (settings.reorderPpm > 0) raw.reorder = { probability: settings.reorderPpm / PPM, delay: durationText(settings.reorderDelay) };
  if (partitionMode !== 'drop') raw.partitionMode = partitionMode;
  return raw;
}

/** The fields of a `network` fault for a link change. */
export function changeRaw(change: LinkChange): RawMapping {
  const raw: RawMapping = {};
  if (change.latency !== undefined) raw.latency = latencyRaw(change.latency);
  if (change.lossPpm !== undefined) raw.loss = change.lossPpm / PPM;
  if (change.duplicatePpm !== undefined) raw.duplicate = change.duplicatePpm / PPM;
  if (change.reorderPpm !== undefined || change.reorderDelay !== undefined) {
    raw.reorder = { probability: (change.reorderPpm ?? 0) / PPM, delay: durationText(change.reorderDelay ?? 0) };
  }
  if (change.extraDelay !== undefined) raw.extraDelay = durationText(change.extraDelay);
  return raw;
}

/** A node list as a scenario writes it: one id alone, several as a list. */
export function nodesRaw(nodes: readonly NodeId[]): number | number[] {
  return nodes.length === 1 ? nodes[0]! : [...nodes];
}

/**
 * Partition bodies (`{shape, ...}`) with concrete nodes for a shape the nemesis resolved. Shapes
 * the schema can only name symbolically (bridge, majorities-ring) become their cut links, written
 * as one-way partitions, one per sending node.
 */
export function partitionRaw(shape: PartitionShape, nodeCount: number): RawMapping[] {
  switch (shape.shape) {
    case 'isolate':
      return [{ shape: 'isolate', node: shape.node }];
    case 'split':
      return shape.minority.length === 0 ? [] : [{ shape: 'split', minority: nodesRaw(shape.minority) }];
    case 'groups':
      return [{ shape: 'groups', groups: shape.groups.map((group) => [...group]) }];
    case 'one-way':
      return shape.from.length === 0 || shape.to.length === 0 ? [] : [{ shape: 'one-way', from: nodesRaw(shape.from), to: nodesRaw(shape.to) }];
    case 'bridge':
    case 'majorities-ring':
      return oneWayCuts(cutLinks(shape, nodeCount), nodeCount);
    default:
      return unreachable(shape, 'partition shape');
  }
}

function oneWayCuts(cut: Uint8Array, nodeCount: number): RawMapping[] {
  const partitions: RawMapping[] = [];
  for (let from = 0; from < nodeCount; from++) {
    const to = [...Array(nodeCount).keys()].filter((other) => cut[from * nodeCount + other] === 1);
    if (to.length > 0) partitions.push({ shape: 'one-way', from, to: nodesRaw(to) });
  }
  return partitions;
}
