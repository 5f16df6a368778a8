import { basename, extname } from 'node:path';
import type { LinkChange, LinkSelector, NodeTarget, PartitionSpec, ScheduledFault } from '../faults/fault.js';
import type { LatencyDistribution } from '../network/latency.js';
import { PPM, type LinkSettings } from '../network/link.js';
import type { Json } from '../history/operation.js';
import { OptionsError } from '../protocol/protocol.js';
import { declaredNames, type DeclaredNames } from '../protocol/declared-names.js';
import { findProtocol, protocolNames } from '../protocols/registry.js';
import { expectedOneOf } from '../util/did-you-mean.js';
import { millis, toMillis } from '../sim/time.js';
import { unreachable } from '../util/assert.js';
import { InputError } from '../util/errors.js';
import { formatBytes, readInputFile } from '../util/read-input-file.js';
import { SCENARIO_LIMITS } from './limits.js';
import { scenarioSchema, type RawFaultEntry, type RawNodeTarget, type RawScenario } from './schema.js';
import type { Scenario, ScriptedOperation, WorkloadKind } from './scenario.js';
import { YamlSource } from './yaml-source.js';

type Path = (string | number)[];

/** Reads and validates a scenario file. Every problem becomes an `InputError` naming file, line and field. */
export function loadScenarioFile(file: string): Scenario {
  return parseScenario(readInputFile(file, { maxBytes: SCENARIO_LIMITS.fileBytes, what: 'a scenario file' }), file);
}

/** Validates scenario text; `file` is used for messages and the default name. */
export function parseScenario(text: string, file = '<scenario>'): Scenario {
  if (text.trim() === '') throw new InputError('the file is empty; expected a scenario (see README.md, "Scenario format")', file, 1, 1);
  if (text.length > SCENARIO_LIMITS.fileBytes) throw new InputError(`the scenario is ${formatBytes(text.length)}; a scenario may be at most ${formatBytes(SCENARIO_LIMITS.fileBytes)}`, file);
  const source = YamlSource.parse(file, text);
  const data = source.toData();
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError('expected a mapping of scenario fields at the top level', file, 1, 1);
  }
  const parsed = scenarioSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    let path: Path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    let message = issue.message.replace(/^Invalid input: /, '');
    if (issue.code === 'unrecognized_keys') {
      path = [...path, issue.keys[0] as string];
      message = `unknown field "${issue.keys[0]}"`;
    } else if (issue.code === 'invalid_type' && message.includes('received undefined')) {
      message = `missing required field (${message})`;
    }
    throw fieldError(source, path, message);
  }
  return resolve(parsed.data, source, text);
}

function fieldError(source: YamlSource, path: Path, message: string): InputError {
  const position = source.position(path);
  return new InputError(message, source.file, position?.line, position?.column, formatPath(path));
}

/** `faults[2].partition.node` */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return out;
}

/**
 * A run that reaches this many events is stopped with verdict `limit`: a message storm must end
 * as a reported outcome, not as minutes of work or gigabytes of trace.
 */
const DEFAULT_EVENT_LIMIT = 10_000_000;

/** Each workload's operations and their default weights (see src/workload/operation-generator.ts). */
const DEFAULT_MIX: Record<WorkloadKind, Record<string, number>> = {
  register: { read: 1, write: 1 },
  'cas-register': { read: 2, write: 1, cas: 1 },
  kv: { read: 2, write: 1, append: 1 },
  counter: { add: 3, read: 1 },
  set: { add: 3, read: 1 },
  queue: { enqueue: 1, dequeue: 2 },
  lock: { acquire: 1, release: 1 },
  bank: { transfer: 3, read: 1 },
};

/** What a protocol serves unless it says otherwise: the shared key-value service's workloads. */
const KV_SERVICE_WORKLOADS: readonly string[] = ['register', 'cas-register', 'kv', 'counter', 'set', 'queue', 'lock'];

/** The linearizability model each workload's history is checked with. */
export const CHECK_MODEL: Record<WorkloadKind, string> = {
  register: 'register',
  'cas-register': 'cas-register',
  kv: 'kv',
  counter: 'counter',
  set: 'set',
  queue: 'fifo-queue',
  lock: 'mutex',
  bank: 'bank',
};

function resolve(raw: RawScenario, source: YamlSource, text: string): Scenario {
  const fail = (path: Path, message: string): never => {
    throw fieldError(source, path, message);
  };
  const protocol = findProtocol(raw.protocol.name);
  if (protocol === undefined) fail(['protocol', 'name'], `unknown protocol "${raw.protocol.name}"; ${expectedOneOf(raw.protocol.name, protocolNames())} (a protocol of your own is loaded with --import <module>)`);
  let options: unknown;
  try {
    options = protocol!.options.parse(raw.protocol.options);
  } catch (error) {
    if (!(error instanceof OptionsError)) throw error;
    fail(['protocol', 'options', ...error.path.split('.').filter((p) => p !== '')], error.message);
  }

  const kind = raw.workload?.kind ?? (protocol!.workloads?.[0] as WorkloadKind | undefined) ?? 'cas-register';
  const served = protocol!.workloads ?? KV_SERVICE_WORKLOADS;
  if (!served.includes(kind)) fail(['workload', 'kind'], `${raw.protocol.name} does not serve the ${kind} workload; expected ${served.join(', ')}`);
  const mix = raw.workload?.mix ?? DEFAULT_MIX[kind];
  const allowed = Object.keys(DEFAULT_MIX[kind]);
  for (const f of Object.keys(mix)) {
    if (!allowed.includes(f)) fail(['workload', 'mix', f], `operation "${f}" is not part of the ${kind} workload; expected ${allowed.join(', ')}`);
  }
  if (Object.values(mix).every((weight) => weight === 0)) fail(['workload', 'mix'], 'expected at least one operation with a weight above 0');

  checkMessageNames(raw, declaredNames(protocol!), fail);
  const nodeCount = raw.nodes;
  const faults = (raw.faults ?? []).map((entry, index) => resolveFault(entry, ['faults', index], nodeCount, raw.duration, fail));
  const clientCount = raw.workload?.clients ?? 3;
  (raw.faults ?? []).forEach((entry, index) => {
    if (entry.action === 'crash-client' && entry.client !== 'random' && entry.client >= clientCount) {
      fail(['faults', index, 'client'], `no client ${entry.client}: the workload has clients 0..${clientCount - 1}`);
    }
  });
  (raw.faults ?? []).forEach((entry, index) => {
    if (entry.action !== 'pause-client') return;
    const pause = protocol!.clientPause;
    if (pause === undefined) fail(['faults', index, 'action'], `${raw.protocol.name} has no client nodes to pause; pause-client needs a protocol whose clients are nodes (lock)`);
    if (entry.after !== undefined) fail(['faults', index, 'after'], `a pause-client fires when the client reaches its own moment (${pause!.doc}), not on sends: drop after`);
    if (entry.for === undefined) fail(['faults', index], 'a pause-client needs for: how long the client stays paused');
    const clients = pause!.clients([...Array(nodeCount).keys()], options);
    if (clients.length === 0) fail(['faults', index, 'client'], `${raw.protocol.name} has no client nodes with ${nodeCount} nodes`);
    if (entry.client !== 'random' && entry.client >= clients.length) {
      fail(['faults', index, 'client'], `no client node ${entry.client}: ${raw.protocol.name}'s client nodes are ${clients.map((node) => `n${node}`).join(', ')} (clients 0..${clients.length - 1})`);
    }
  });
  const model = raw.check?.linearizability === false ? undefined : (raw.check?.linearizability ?? CHECK_MODEL[kind]);
  if (model === undefined && raw.check?.consistency !== undefined) {
    fail(['check', 'consistency'], 'needs the history checked with a data model; remove linearizability: false or name a model there');
  }

  return {
    name: raw.name ?? basename(source.file, extname(source.file)),
    description: raw.description ?? '',
    file: source.file === '<scenario>' ? undefined : source.file,
    source: text,
    seed: raw.seed ?? 1,
    nodes: nodeCount,
    protocol: { name: raw.protocol.name, options, rawOptions: raw.protocol.options ?? {} },
    network: { defaults: linkDefaults(raw), partitionMode: raw.network?.partitionMode ?? 'drop' },
    disk: { syncDelay: raw.disk?.syncDelay ?? 0 },
    workload: {
      kind,
      clients: raw.workload?.clients ?? (Array.isArray(raw.workload?.script) ? raw.workload.script.length : 3),
      mix,
      keys: raw.workload?.keys ?? 1,
      hotKeyPercent: raw.workload?.hotKeyPercent ?? 0,
      thinkTime: raw.workload?.thinkTime ?? millis(10),
      ratePerSecond: raw.workload?.rate,
      requestTimeout: raw.workload?.requestTimeout ?? millis(500),
      maxAttempts: raw.workload?.maxAttempts ?? 3,
      connection: raw.workload?.connection ?? 'follow-leader',
      operationsPerClient: raw.workload?.operations,
      script: resolveScript(raw, Object.keys(DEFAULT_MIX[kind]), fail),
    },
    faults,
    swarm: raw.swarm ?? false,
    duration: raw.duration,
    liveness: raw.liveness === undefined ? undefined : { bound: raw.liveness.bound, core: resolveCore(raw.liveness.core, nodeCount, fail) },
    limits: { events: raw.limits?.events ?? DEFAULT_EVENT_LIMIT },
    check: {
      model,
      invariants: raw.check?.invariants ?? true,
      consistency: raw.check?.consistency,
      ...(raw.check?.convergence === undefined ? {} : { convergence: raw.check.convergence }),
    },
    expect: raw.expect ?? 'pass',
  };
}

/** `workload.script`: one list of operations per client, each one the workload knows. */
function resolveScript(raw: RawScenario, allowed: string[], fail: Fail): ScriptedOperation[][] | undefined {
  const written = raw.workload?.script;
  if (written === undefined) return undefined;
  const clients = raw.workload?.clients;
  let script: NonNullable<typeof written> & unknown[];
  if (Array.isArray(written)) {
    script = written;
    if (clients !== undefined && clients !== script.length) fail(['workload', 'clients'], `the script has operations for ${script.length} clients, not ${clients}`);
  } else {
    // `{ 2: [...], 3: [...] }` with `clients: 4`: clients 0 and 1 are idle.
    if (clients === undefined) fail(['workload', 'script'], 'a script written as a map of client numbers needs workload.clients (how many clients there are)');
    script = Array.from({ length: clients as number }, () => []);
    for (const [client, operations] of Object.entries(written)) {
      const index = Number(client);
      if (index >= (clients as number)) fail(['workload', 'script', client], `no client ${client}: workload.clients is ${clients}, so clients are 0..${(clients as number) - 1}`);
      script[index] = operations;
    }
  }
  return script.map((operations, client) =>
    operations.map((operation, index) => {
      const path = ['workload', 'script', client, index];
      if (!allowed.includes(operation.f)) fail([...path, 'f'], `operation "${operation.f}" is not part of this workload; expected ${allowed.join(', ')}`);
      const value = (operation.value ?? null) as Json;
      if (operation.f === 'cas' && (!Array.isArray(value) || value.length !== 2)) fail([...path, 'value'], 'expected a cas value as [expected, new]');
      const scripted: ScriptedOperation = operation.key === undefined ? { f: operation.f, value } : { f: operation.f, key: operation.key, value };
      if (operation.at !== undefined) scripted.at = operation.at;
      return scripted;
    }),
  );
}

function resolveCore(core: number[] | undefined, nodeCount: number, fail: Fail): number[] | undefined {
  if (core === undefined) return undefined;
  core.forEach((node, index) => {
    if (node >= nodeCount) fail(['liveness', 'core', index], `no node ${node}: the cluster has nodes 0..${nodeCount - 1}`);
  });
  if (new Set(core).size !== core.length) fail(['liveness', 'core'], 'a node is listed twice');
  if (core.length <= nodeCount / 2) fail(['liveness', 'core'], `a core of ${core.length} of ${nodeCount} nodes is no majority; it cannot make progress`);
  return [...core].sort((a, b) => a - b);
}

function linkDefaults(raw: RawScenario): LinkSettings {
  const network = raw.network;
  return {
    latency: network?.latency === undefined ? { kind: 'uniform', min: millis(1), max: millis(5) } : toLatency(network.latency),
    lossPpm: toPpm(network?.loss ?? 0),
    duplicatePpm: toPpm(network?.duplicate ?? 0),
    reorderPpm: toPpm(network?.reorder?.probability ?? 0),
    reorderDelay: network?.reorder?.delay ?? 0,
    extraDelay: 0,
  };
}

type RawLatency = NonNullable<NonNullable<RawScenario['network']>['latency']>;

function toLatency(raw: RawLatency): LatencyDistribution {
  switch (raw.distribution) {
    case 'constant':
      return { kind: 'constant', value: raw.value };
    case 'uniform':
      return { kind: 'uniform', min: raw.min, max: raw.max };
    case 'exponential':
      return { kind: 'exponential', min: raw.min, mean: raw.mean };
    case 'long-tail':
      return { kind: 'long-tail', median: raw.median, p99: raw.p99 };
    default:
      return unreachable(raw, 'latency');
  }
}

function toPpm(probability: number): number {
  return Math.round(probability * PPM);
}

type Fail = (path: Path, message: string) => never;

/**
 * A misspelt message type would make a triggered fault never fire, and the run pass for the
 * wrong reason: every protocol-specific name must be one the protocol declares.
 */
function checkMessageNames(raw: RawScenario, declared: DeclaredNames, fail: Fail): void {
  (raw.faults ?? []).forEach((entry, index) => {
    const type = entry.after?.send;
    if (type === undefined || declared.isMessageType(type)) return;
    fail(['faults', index, 'after', 'send'], `${raw.protocol.name} sends no message of type "${type}"; ${expectedOneOf(type, declared.messageTypes)}`);
  });
}

function resolveFault(entry: RawFaultEntry, path: Path, nodeCount: number, duration: number, fail: Fail): ScheduledFault {
  if (entry.at > duration) fail([...path, 'at'], `at ${toMillis(entry.at)}ms is after the scenario's duration (${toMillis(duration)}ms); the fault would never fire`);
  if (entry.after !== undefined && entry.every !== undefined) fail([...path, 'every'], 'a fault with after fires on sends, not every so often: drop every or after');
  if (entry.probability !== undefined && entry.after === undefined) fail([...path, 'probability'], 'probability needs after (a fault triggered by sends)');
  if (entry.until !== undefined && entry.every === undefined && entry.after === undefined) fail([...path, 'until'], 'until needs every (a repeating fault) or after (a triggered one)');
  if (entry.every !== undefined && entry.every === 0) fail([...path, 'every'], 'expected a repeat interval above 0');
  if (entry.until !== undefined && entry.until < entry.at) fail([...path, 'until'], 'until is before at');
  if (entry.every !== undefined && entry.for !== undefined && entry.for >= entry.every) {
    fail([...path, 'for'], `expected for (${toMillis(entry.for)}ms) shorter than every (${toMillis(entry.every)}ms)`);
  }
  const undoable = !['heal', 'restart', 'resume', 'corrupt', 'crash-client'].includes(entry.action);
  if (entry.for !== undefined && !undoable) fail([...path, 'for'], `a ${entry.action} cannot last for a time; it is not undone`);
  const target = (raw: RawNodeTarget, field: string): NodeTarget => {
    if (raw === 'sender' && entry.after === undefined) fail([...path, field], 'sender is the node whose send triggered the fault: it needs after: { send: <message type> }');
    return toTarget(raw, [...path, field], nodeCount, fail);
  };
  const trigger = entry.after === undefined ? undefined : { messageType: entry.after.send, probabilityPpm: Math.round((entry.probability ?? 1) * PPM) };
  const timing = { at: entry.at, every: entry.every, until: entry.until, duration: entry.for, ...(trigger === undefined ? {} : { trigger }) };
  switch (entry.action) {
    case 'crash':
      return { ...timing, fault: { kind: 'crash', target: target(entry.node, 'node'), tornWrite: entry.tornWrite ?? false } };
    case 'restart':
      return { ...timing, fault: { kind: 'restart', target: target(entry.node, 'node') } };
    case 'pause':
      return { ...timing, fault: { kind: 'pause', target: target(entry.node, 'node') } };
    case 'resume':
      return { ...timing, fault: { kind: 'resume', target: target(entry.node, 'node') } };
    case 'heal':
      return { ...timing, fault: { kind: 'heal' } };
    case 'partition':
      return { ...timing, fault: { kind: 'partition', spec: toPartition(entry.partition, [...path, 'partition'], nodeCount, fail) } };
    case 'clock':
      if (entry.offset === undefined && entry.driftPpm === undefined) fail(path, 'a clock fault needs offset, driftPpm or both');
      return { ...timing, fault: { kind: 'clock', target: target(entry.node, 'node'), offset: entry.offset ?? 0, driftPpm: entry.driftPpm ?? 0 } };
    case 'network':
      return { ...timing, fault: { kind: 'network', links: toLinks(entry.links, [...path, 'links'], nodeCount, fail), change: toChange(entry, path, fail) } };
    case 'corrupt':
      return { ...timing, fault: { kind: 'corrupt', target: target(entry.node, 'node'), keyPrefix: entry.keyPrefix ?? '' } };
    case 'crash-client':
      return { ...timing, fault: { kind: 'crash-client', client: entry.client } };
    case 'pause-client':
      return { ...timing, fault: { kind: 'pause-client', client: entry.client } };
    default:
      return unreachable(entry, 'fault action');
  }
}

function toTarget(raw: RawNodeTarget, path: Path, nodeCount: number, fail: Fail): NodeTarget {
  const check = (node: number, at: Path) => {
    if (node >= nodeCount) fail(at, `no node ${node}: the cluster has nodes 0..${nodeCount - 1}`);
  };
  if (typeof raw === 'number') {
    check(raw, path);
    return { kind: 'node', node: raw };
  }
  if (Array.isArray(raw)) {
    raw.forEach((node, index) => check(node, [...path, index]));
    if (new Set(raw).size !== raw.length) fail(path, 'a node is listed twice');
    return { kind: 'nodes', nodes: raw };
  }
  return { kind: raw };
}

type RawPartition = Extract<RawFaultEntry, { action: 'partition' }>['partition'];

function toPartition(raw: RawPartition, path: Path, nodeCount: number, fail: Fail): PartitionSpec {
  switch (raw.shape) {
    case 'isolate':
      return { shape: 'isolate', target: toTarget(raw.node, [...path, 'node'], nodeCount, fail) };
    case 'split':
      return { shape: 'split', minority: toTarget(raw.minority, [...path, 'minority'], nodeCount, fail) };
    case 'bridge':
    case 'majorities-ring':
      if (nodeCount < 3) fail([...path, 'shape'], `a ${raw.shape} partition needs at least 3 nodes (the cluster has ${nodeCount})`);
      return { shape: raw.shape };
    case 'groups': {
      const seen = new Set<number>();
      raw.groups.forEach((group, g) =>
        group.forEach((node, i) => {
          if (node >= nodeCount) fail([...path, 'groups', g, i], `no node ${node}: the cluster has nodes 0..${nodeCount - 1}`);
          if (seen.has(node)) fail([...path, 'groups', g, i], `node ${node} is in two groups`);
          seen.add(node);
        }),
      );
      return { shape: 'groups', groups: raw.groups };
    }
    case 'one-way':
      return { shape: 'one-way', from: toTarget(raw.from, [...path, 'from'], nodeCount, fail), to: toTarget(raw.to, [...path, 'to'], nodeCount, fail) };
    default:
      return unreachable(raw, 'partition shape');
  }
}

type RawLinks = Extract<RawFaultEntry, { action: 'network' }>['links'];

function toLinks(raw: RawLinks, path: Path, nodeCount: number, fail: Fail): LinkSelector {
  if (raw === undefined || raw === 'all') return { kind: 'all' };
  if ('node' in raw) return { kind: 'node', target: toTarget(raw.node, [...path, 'node'], nodeCount, fail) };
  if (raw.from >= nodeCount) fail([...path, 'from'], `no node ${raw.from}: the cluster has nodes 0..${nodeCount - 1}`);
  if (raw.to >= nodeCount) fail([...path, 'to'], `no node ${raw.to}: the cluster has nodes 0..${nodeCount - 1}`);
  if (raw.from === raw.to) fail(path, 'a link joins two different nodes');
  return { kind: 'link', from: raw.from, to: raw.to };
}

function toChange(entry: Extract<RawFaultEntry, { action: 'network' }>, path: Path, fail: Fail): LinkChange {
  const change: LinkChange = {};
  if (entry.latency !== undefined) change.latency = toLatency(entry.latency);
  if (entry.loss !== undefined) change.lossPpm = toPpm(entry.loss);
  if (entry.duplicate !== undefined) change.duplicatePpm = toPpm(entry.duplicate);
  if (entry.reorder !== undefined) {
    change.reorderPpm = toPpm(entry.reorder.probability);
    change.reorderDelay = entry.reorder.delay;
  }
  if (entry.extraDelay !== undefined) change.extraDelay = entry.extraDelay;
  if (Object.keys(change).length === 0) fail(path, 'a network fault needs at least one of latency, loss, duplicate, reorder, extraDelay');
  return change;
}
