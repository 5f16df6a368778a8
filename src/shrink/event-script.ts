import { Document, isMap, isSeq, parse } from 'yaml';
import type { HistoryEvent, Json } from '../history/operation.js';
import type { NodeId } from '../protocol/effects.js';
import type { Scenario } from '../scenario/scenario.js';
import type { Micros } from '../sim/time.js';
import { unreachable } from '../util/assert.js';
import type { CapturedRun, FaultOccurrence } from './capture-run.js';
import { changeRaw, durationText, networkRaw, nodesRaw, partitionRaw, type RawMapping } from './raw-yaml.js';

/** One fault of the script: a concrete body (`action` and its fields) at a fixed time. */
export interface ScriptFault {
  at: Micros;
  /** Undone after this long, when the action can be undone. */
  duration: Micros | undefined;
  body: RawMapping;
}

/** One client operation of the script, invoked no earlier than `at` when set. */
export interface ScriptOperation {
  f: string;
  key: string | undefined;
  value: Json;
  at: Micros | undefined;
}

/**
 * A failing run as an explicit event script: the faults that happened, with concrete nodes and
 * times, and the operations each client invoked. Plain data: shrinking edits it, `scriptToYaml`
 * turns it into a scenario that runs on its own.
 */
export interface EventScript {
  /** Scenario fields kept as written: name, protocol, disk, workload timing, limits, check, expect. */
  base: RawMapping;
  seed: number;
  nodes: number;
  duration: Micros;
  /** The liveness phase's bound, when there is one. */
  liveness: Micros | undefined;
  network: RawMapping;
  faults: ScriptFault[];
  clients: ScriptOperation[][];
}

/** Workload fields that only shape drawn operations; a script replaces them. */
const DRAWN_WORKLOAD_FIELDS = ['clients', 'mix', 'keys', 'hotKeyPercent', 'operations', 'script'];
/** Top-level fields the script writes itself. */
const SCRIPT_FIELDS = ['seed', 'nodes', 'network', 'faults', 'swarm', 'duration', 'liveness', 'workload'];

export function scriptFromRun(scenario: Scenario, seed: number, captured: CapturedRun): EventScript {
  const raw = parse(scenario.source) as RawMapping;
  const base: RawMapping = { name: `${scenario.name}-shrunk` };
  if (scenario.description !== '') base.description = `shrunk from: ${scenario.description}`;
  for (const [field, value] of Object.entries(raw)) if (!SCRIPT_FIELDS.includes(field) && !(field in base)) base[field] = value;
  const workload: RawMapping = { ...((raw.workload as RawMapping | undefined) ?? {}) };
  for (const field of DRAWN_WORKLOAD_FIELDS) delete workload[field];
  workload.kind = scenario.workload.kind;
  base.workload = workload;
  const effective = captured.effective;
  // Swarm mode may have drawn protocol options: the shrunk scenario states them.
  if (effective.protocol.rawOptions !== scenario.protocol.rawOptions) base.protocol = { ...(raw.protocol as RawMapping), options: effective.protocol.rawOptions };
  return {
    base,
    seed,
    nodes: effective.nodes,
    duration: effective.duration,
    liveness: effective.liveness?.bound,
    network: networkRaw(effective.network.defaults, effective.network.partitionMode),
    faults: captured.occurrences.flatMap((occurrence) => concreteFaults(occurrence, effective.nodes)),
    clients: clientScripts(captured.history, effective.workload.clients),
  };
}

/**
 * Which client invoked what. Client i starts as process i; each `info` completion gives its
 * client the next unused process number, in history order — so the history alone says whose
 * operation each invocation was.
 */
export function clientScripts(history: readonly HistoryEvent[], clients: number): ScriptOperation[][] {
  const clientOf = new Map<number, number>(Array.from({ length: clients }, (_, index) => [index, index]));
  let nextProcess = clients;
  const scripts: ScriptOperation[][] = Array.from({ length: clients }, () => []);
  for (const event of history) {
    const client = clientOf.get(event.process)!;
    if (event.type === 'invoke') scripts[client]!.push({ f: event.f, key: event.key, value: event.value, at: event.time });
    else if (event.type === 'info') clientOf.set(nextProcess++, client);
  }
  return scripts;
}

/** The concrete fault entries for one occurrence; none when it touched nothing. */
function concreteFaults(occurrence: FaultOccurrence, nodeCount: number): ScriptFault[] {
  const fault = occurrence.fault;
  const timed = (body: RawMapping, undoable: boolean): ScriptFault => ({ at: occurrence.at, duration: undoable ? occurrence.duration : undefined, body });
  const onNodes = (body: RawMapping, undoable: boolean) => (occurrence.nodes.length === 0 ? [] : [timed({ ...body, node: nodesRaw(unique(occurrence.nodes)) }, undoable)]);
  switch (fault.kind) {
    case 'crash':
      return onNodes(fault.tornWrite ? { action: 'crash', tornWrite: true } : { action: 'crash' }, true);
    case 'restart':
    case 'resume':
      return onNodes({ action: fault.kind }, false);
    case 'pause':
      return onNodes({ action: 'pause' }, true);
    case 'clock':
      return onNodes({ action: 'clock', offset: durationText(fault.offset), driftPpm: fault.driftPpm }, true);
    case 'partition':
      return occurrence.partitions.flatMap((shape) => partitionRaw(shape, nodeCount).map((partition) => timed({ action: 'partition', partition }, true)));
    case 'heal':
      return [timed({ action: 'heal' }, false)];
    case 'network':
      return occurrence.links.length === 0 ? [] : [timed({ action: 'network', links: linksRaw(occurrence.links, nodeCount), ...changeRaw(fault.change) }, true)];
    case 'corrupt':
      return occurrence.corrupted.map(({ node, key }) => timed({ action: 'corrupt', node, keyPrefix: key }, false));
    case 'crash-client':
      return occurrence.clients.map((client) => timed({ action: 'crash-client', client }, false));
    case 'pause-client':
      // The pause as it happened (its arming touched nothing): a timed pause of that node.
      return onNodes({ action: 'pause' }, true);
    default:
      return unreachable(fault, 'fault');
  }
}

/** `all`, one link, or the nodes whose every link changed (how the nemesis expands `{node: …}`). */
function linksRaw(links: readonly [NodeId, NodeId][], nodeCount: number): unknown {
  if (links.length === 1) return { from: links[0]![0], to: links[0]![1] };
  const outgoing = (node: NodeId) => links.filter(([from]) => from === node).length;
  const full = [...Array(nodeCount).keys()].filter((node) => outgoing(node) === nodeCount - 1);
  if (full.length === nodeCount || full.length === nodeCount - 1) return 'all';
  return { node: nodesRaw(full) };
}

function unique(nodes: readonly NodeId[]): NodeId[] {
  return [...new Set(nodes)].sort((a, b) => a - b);
}

/** The script as scenario YAML, with `header` lines as comments on top. */
export function scriptToYaml(script: EventScript, header: readonly string[] = []): string {
  const workload: RawMapping = { ...(script.base.workload as RawMapping), ...clientsRaw(script.clients) };
  const document: RawMapping = {};
  for (const [field, value] of Object.entries(script.base)) if (field !== 'workload' && field !== 'expect') document[field] = value;
  Object.assign(document, {
    seed: script.seed,
    nodes: script.nodes,
    network: script.network,
    workload,
    faults: script.faults.map(faultRaw),
    duration: durationText(script.duration),
  });
  if (script.liveness !== undefined) document.liveness = { bound: durationText(script.liveness) };
  if (script.base.expect !== undefined) document.expect = script.base.expect;
  const comments = header.map((line) => `# ${line}`.trimEnd()).join('\n');
  return (comments === '' ? '' : comments + '\n') + compactYaml(document);
}

/** Block style overall, but one line per fault and per operation, so a script reads like a list of events. */
function compactYaml(document: RawMapping): string {
  const yaml = new Document(document);
  const oneLinePerItem = (node: unknown) => {
    if (!isSeq(node)) return;
    for (const item of node.items) if (isMap(item)) item.flow = true;
  };
  oneLinePerItem(yaml.get('faults', true));
  const clients = yaml.getIn(['workload', 'script'], true);
  if (isSeq(clients)) for (const operations of clients.items) oneLinePerItem(operations);
  if (isMap(clients)) for (const pair of clients.items) oneLinePerItem(pair.value);
  return yaml.toString({ lineWidth: 0, flowCollectionPadding: true });
}

/**
 * The clients' operations: one list per client, or, when some clients are idle, `clients: N` and a
 * map of the busy ones by number (no `- []` lines; the idle clients keep their numbers, so the
 * run is the same).
 */
function clientsRaw(clients: readonly ScriptOperation[][]): RawMapping {
  const busy = clients.flatMap((operations, index) => (operations.length > 0 ? [index] : []));
  if (busy.length === clients.length || busy.length === 0) return { script: clients.map((operations) => operations.map(operationRaw)) };
  return { clients: clients.length, script: new Map(busy.map((index) => [index, clients[index]!.map(operationRaw)])) };
}

function faultRaw(fault: ScriptFault): RawMapping {
  const raw: RawMapping = { at: durationText(fault.at), ...fault.body };
  if (fault.duration !== undefined) raw.for = durationText(fault.duration);
  return raw;
}

function operationRaw(operation: ScriptOperation): RawMapping {
  const raw: RawMapping = { f: operation.f };
  if (operation.key !== undefined) raw.key = operation.key;
  if (operation.value !== null) raw.value = operation.value;
  if (operation.at !== undefined) raw.at = durationText(operation.at);
  return raw;
}

/** Faults and operations in a script: two of the sizes shrinking reports. */
export function scriptSize(script: EventScript): { faults: number; operations: number } {
  return { faults: script.faults.length, operations: script.clients.reduce((sum, operations) => sum + operations.length, 0) };
}
