import type { AnyOptionField, OptionsSpec } from '../protocol/options.js';
import type { RandomStream } from '../random/random-stream.js';
import type { Scenario } from '../scenario/scenario.js';

/**
 * Swarm mode's protocol options: every option the scenario leaves unset and the protocol gives a
 * swarm range (`integer({ swarm: [min, max] })`, `boolean({ swarm: true })`) is drawn from it, so
 * features behind thresholds (snapshots, batching, flow control, timeouts) get exercised instead
 * of sitting at a default a run never reaches. Options the scenario sets are kept as written;
 * planted bugs are never drawn. Draws come from their own stream, so the fault mix is unchanged.
 *
 * If the drawn values break a rule between options together with the scenario's own (a scenario
 * that fixes a long minimum election timeout, say), the draw is dropped and the scenario's
 * options stand: swarm never makes a valid scenario invalid.
 */
export function drawSwarmOptions(scenario: Scenario, spec: OptionsSpec<unknown> | undefined, random: RandomStream, drawn: Record<string, string>, corners?: RandomStream): Scenario {
  if (spec === undefined) return scenario;
  const raw = (scenario.protocol.rawOptions ?? {}) as Record<string, unknown>;
  const chosen: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(spec.fields as Record<string, AnyOptionField>)) {
    const value = toCorner(field, drawField(field, random), corners);
    if (value !== undefined && raw[name] === undefined) chosen[name] = value;
  }
  if (Object.keys(chosen).length === 0) return scenario;
  const rawOptions = { ...chosen, ...raw };
  let options: unknown;
  try {
    options = spec.parse(rawOptions);
  } catch {
    drawn.options = "the scenario's own (drawn values conflicted with them)";
    return scenario;
  }
  drawn.options = Object.entries(chosen).map(([name, value]) => `${name}:${String(value)}`).join(',');
  return { ...scenario, protocol: { ...scenario.protocol, options, rawOptions } };
}

/**
 * BUGGIFY's corner knobs: half of the integer fields move to one end of their swarm range. The
 * uniform draw has been made already, so the options stream stays in step with or without corners.
 */
function toCorner(field: AnyOptionField, value: number | boolean | undefined, corners: RandomStream | undefined): number | boolean | undefined {
  if (corners === undefined || field.kind !== 'integer' || field.swarm === undefined || typeof value !== 'number') return value;
  if (!corners.chance(1, 2)) return value;
  return corners.chance(1, 2) ? field.swarm[0] : field.swarm[1];
}

/** Draws every field that has a swarm range, set or not, so one scenario's choices never shift another's. */
function drawField(field: AnyOptionField, random: RandomStream): number | boolean | undefined {
  switch (field.kind) {
    case 'integer':
      return field.swarm === undefined ? undefined : random.range(field.swarm[0], field.swarm[1]);
    case 'boolean':
      return field.swarm === true && field.plantedBug !== true ? random.chance(1, 2) : undefined;
    case 'choice':
      return undefined;
    default:
      return field satisfies never;
  }
}
