/**
 * A small deterministic in-memory cluster of any `Protocol`, for transcripts and property tests,
 * built on EffectCollector (not the simulator's world). Nothing happens unless a command asks: messages
 * wait in one queue until delivered, dropped or duplicated; timers fire when fired or when time
 * is advanced past their deadline. Every write is durable at once. The invariant observers run
 * after every step; violations are collected (and shown by transcripts).
 */
import type { Json } from '../../../src/history/operation.js';
import type { ClientResponse } from '../../../src/protocol/client-types.js';
import { EffectCollector } from '../../../src/protocol/context.js';
import { declaredNames } from '../../../src/protocol/declared-names.js';
import type { Message, NodeId } from '../../../src/protocol/effects.js';
import type { DurableReader, DurableRecord, NodeContext, Protocol } from '../../../src/protocol/protocol.js';
import type { ClusterView, Observer, StepFilter } from '../../../src/invariants/observer.js';
import { RandomStream } from '../../../src/random/random-stream.js';
import type { Micros } from '../../../src/sim/time.js';
import { assert } from '../../../src/util/assert.js';

/**
 * What the harness and the transcript runner need to know about one protocol beyond `Protocol`
 * itself: how to show a node. Everything else (delivery, timers, crashes, clients) is generic.
 */
export interface ProtocolAdapter<State, M extends Message, Options, Timer extends string> {
  readonly protocol: Protocol<State, M, Options, Timer, any>;
  /** The first node's id: the simulator numbers nodes from 0; Raft's transcripts from 1. */
  readonly firstNodeId: number;
  /** The `status` line of a live node (after `<id>: `). */
  status(state: State): string;
  /** Role and epoch; a change across a step is reported as `<id>: <before> -> <after>`. */
  phase(state: State): string;
  /** The `log <node>` lines. */
  log(state: State): string[];
  /** The `kv <node>` lines: the replicated state machine's contents. */
  kv(state: State): string[];
}

/** `key=value` lines of a key-value store's data, sorted by key; `(empty)` when there is none. */
export function renderKvData(data: ReadonlyMap<string, Json>): string[] {
  const entries = [...data.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  return entries.length === 0 ? ['(empty)'] : entries.map(([key, value]) => `${key}=${JSON.stringify(value)}`);
}

export class MemoryDisk implements DurableReader {
  readonly records = new Map<string, DurableRecord>();

  read(key: string): DurableRecord {
    return this.records.get(key) ?? { kind: 'missing' };
  }

  keys(): string[] {
    return [...this.records.keys()].sort();
  }

  write(key: string, value: Json | undefined): void {
    if (value === undefined) this.records.delete(key);
    else this.records.set(key, { kind: 'value', value });
  }
}

export interface HarnessNode<State, M extends Message> {
  readonly id: NodeId;
  state: State | undefined;
  paused: boolean;
  readonly disk: MemoryDisk;
  /** Timer name → global deadline. */
  readonly timers: Map<string, Micros>;
  /** The local clock is `clockOffset + now * clockRatePercent / 100`. */
  clockOffset: Micros;
  clockRatePercent: number;
  readonly context: EffectCollector<M>;
}

export interface InFlight<M extends Message> {
  from: NodeId;
  to: NodeId;
  message: M;
}

export interface Reply {
  node: NodeId;
  requestId: number;
  response: ClientResponse;
}

export class ProtocolCluster<State, M extends Message, Options, Timer extends string> {
  readonly nodes = new Map<NodeId, HarnessNode<State, M>>();
  readonly ids: NodeId[];
  readonly options: Options;
  readonly protocol: Protocol<State, M, Options, Timer, any>;
  now: Micros = 0;
  network: InFlight<M>[] = [];
  readonly cut = new Set<string>();
  readonly replies: Reply[] = [];
  /** Requests accepted by a node and not yet answered: requestId → node. */
  readonly pending = new Map<number, NodeId>();
  readonly violations: string[] = [];
  /** Messages delivered, by type (coverage for the property test). */
  readonly delivered = new Map<string, number>();
  /** Lines describing what happened, when tracing (transcripts). */
  readonly lines: string[] = [];
  private readonly observers: Observer<State>[];
  private readonly view: ClusterView<State>;
  private readonly stepFilter: StepFilter<State> | undefined;
  private nextRequestId = 1;
  private readonly sequences = new Map<number, number>();

  constructor(
    readonly adapter: ProtocolAdapter<State, M, Options, Timer>,
    count: number,
    rawOptions: Record<string, unknown>,
    seed: string,
    private readonly trace = true,
    /** Show the observers only the steps the protocol's step filter lets through, as the world does. */
    filterSteps = false,
  ) {
    const protocol = adapter.protocol;
    this.protocol = protocol;
    this.options = protocol.options.parse(rawOptions);
    this.ids = Array.from({ length: count }, (_, i) => i + adapter.firstNodeId);
    this.observers = protocol.observers?.(this.options) ?? [];
    this.stepFilter = filterSteps ? protocol.stepFilter?.(this.options) : undefined;
    const declared = declaredNames(protocol);
    const cluster = this;
    this.view = {
      get now() {
        return cluster.now;
      },
      nodes: this.ids,
      state: (node) => cluster.node(node).state,
    };
    for (const id of this.ids) {
      const random = new RandomStream(`${seed}/node/${id}`);
      const node: HarnessNode<State, M> = {
        id,
        state: undefined,
        paused: false,
        disk: new MemoryDisk(),
        timers: new Map(),
        clockOffset: 0,
        clockRatePercent: 100,
        context: new EffectCollector<M>(id, this.ids, random, declared),
      };
      this.nodes.set(id, node);
    }
    for (const id of this.ids) this.start(id);
  }

  node(id: NodeId): HarnessNode<State, M> {
    const node = this.nodes.get(id);
    assert(node !== undefined, `no node ${id}`);
    return node;
  }

  isUp(id: NodeId): boolean {
    return this.node(id).state !== undefined;
  }

  // ---- steps ----

  private start(id: NodeId): void {
    const node = this.node(id);
    this.runStep(node, () => {
      node.state = this.protocol.init(this.contextOf(node), node.disk, this.options);
    });
  }

  /** The collector as the protocol's own context type (it checks the declared names). */
  private contextOf(node: HarnessNode<State, M>): NodeContext<M, Timer, any> {
    return node.context as unknown as NodeContext<M, Timer, any>;
  }

  /** Runs one handler on a live node, applies its effects and checks the invariants. */
  private runStep(node: HarnessNode<State, M>, handler: () => void): void {
    const before = node.state === undefined ? undefined : this.adapter.phase(node.state);
    node.context.now = localTime(node, this.now);
    handler();
    node.context.marks = [];
    for (const effect of node.context.drain()) {
      switch (effect.kind) {
        case 'send':
          this.network.push({ from: node.id, to: effect.to, message: effect.message });
          break;
        case 'setTimer':
          // A fast clock reaches the timer's local delay in less global time.
          node.timers.set(effect.name, this.now + Math.ceil((effect.delay * 100) / node.clockRatePercent));
          break;
        case 'cancelTimer':
          node.timers.delete(effect.name);
          break;
        case 'persist':
          node.disk.write(effect.key, effect.value);
          break;
        case 'reply':
          this.recordReply(node.id, effect.requestId, effect.response);
          break;
      }
    }
    this.noteRoleChange(node, before);
    this.checkInvariants(node.id);
  }

  private recordReply(node: NodeId, requestId: number, response: ClientResponse): void {
    assert(this.pending.get(requestId) === node, `node ${node} answers request ${requestId} it does not hold`);
    this.pending.delete(requestId);
    this.replies.push({ node, requestId, response });
    this.say(`${node}: reply #${requestId} ${renderResponse(response)}`);
  }

  private noteRoleChange(node: HarnessNode<State, M>, before: string | undefined): void {
    const state = node.state;
    if (state === undefined || before === undefined) return;
    const after = this.adapter.phase(state);
    if (after !== before) this.say(`${node.id}: ${before} -> ${after}`);
  }

  private checkInvariants(node: NodeId): void {
    if (this.stepFilter !== undefined && !this.stepFilter.matters(this.view, node)) return;
    for (const observer of this.observers) {
      const violation = observer.afterStep?.(this.view, node);
      if (violation !== undefined) this.violate(observer.name, violation);
    }
  }

  /** Records a violation; transcripts show only each observer's first (a run stops there). */
  private violate(name: string, detail: string): void {
    const first = !this.violations.some((violation) => violation.startsWith(`${name}: `));
    this.violations.push(`${name}: ${detail}`);
    if (first) this.say(`VIOLATION ${name}: ${detail}`);
  }

  private say(line: string): void {
    if (this.trace) this.lines.push(line);
  }

  // ---- messages ----

  private linkIsCut(from: NodeId, to: NodeId): boolean {
    return this.cut.has(`${from}->${to}`);
  }

  /** Delivers the message at `position` in the queue (or loses it if its link is cut). */
  deliverAt(position: number): void {
    const [flight] = this.network.splice(position, 1);
    assert(flight !== undefined, `no message at ${position}`);
    this.deliverFlight(flight);
  }

  /** Delivers every message queued now (optionally only on one link), in order; returns how many. */
  deliver(from?: NodeId, to?: NodeId): number {
    const batch = this.network.filter((flight) => matchesLink(flight, from, to));
    this.network = this.network.filter((flight) => !matchesLink(flight, from, to));
    // Messages sent while delivering join the queue's end; this call delivers only the batch.
    for (const flight of batch) this.deliverFlight(flight);
    return batch.length;
  }

  private deliverFlight(flight: InFlight<M>): void {
    const target = this.node(flight.to);
    const render = (): string => `${flight.from}->${flight.to} ${this.protocol.renderMessage(flight.message)}`;
    if (this.linkIsCut(flight.from, flight.to) || target.state === undefined) {
      if (this.trace) this.say(`${render()} (lost)`);
      return;
    }
    if (target.paused) {
      this.network.push(flight);
      return;
    }
    if (this.trace) this.say(render());
    this.delivered.set(flight.message.type, (this.delivered.get(flight.message.type) ?? 0) + 1);
    this.runStep(target, () => this.protocol.onMessage(target.state as State, flight.from, flight.message, this.contextOf(target)));
  }

  /** Delivers until no message is left (or a bound is hit: a livelock is a failure). */
  stabilize(maxMessages = 100_000): void {
    let delivered = 0;
    while (this.network.length > 0) {
      this.deliverAt(0);
      delivered++;
      if (delivered > maxMessages) throw new Error(`stabilize: more than ${maxMessages} messages`);
      if (this.network.every((flight) => this.node(flight.to).paused)) return;
    }
  }

  drop(from?: NodeId, to?: NodeId): void {
    const kept: InFlight<M>[] = [];
    for (const flight of this.network) {
      if (matchesLink(flight, from, to)) this.say(`dropped ${flight.from}->${flight.to} ${this.protocol.renderMessage(flight.message)}`);
      else kept.push(flight);
    }
    this.network = kept;
  }

  duplicate(from?: NodeId, to?: NodeId): void {
    for (const flight of this.network.filter((candidate) => matchesLink(candidate, from, to))) {
      this.network.push(flight);
      this.say(`duplicated ${flight.from}->${flight.to} ${this.protocol.renderMessage(flight.message)}`);
    }
  }

  dropAt(position: number): void {
    this.network.splice(position, 1);
  }

  duplicateAt(position: number): void {
    const flight = this.network[position];
    if (flight !== undefined) this.network.push(flight);
  }

  // ---- partitions ----

  /** Cuts every link between different groups. */
  partition(groups: NodeId[][]): void {
    this.cut.clear();
    for (const [a, groupA] of groups.entries()) {
      for (const [b, groupB] of groups.entries()) {
        if (a === b) continue;
        for (const from of groupA) for (const to of groupB) this.cut.add(`${from}->${to}`);
      }
    }
  }

  isolate(id: NodeId): void {
    this.partition([[id], this.ids.filter((other) => other !== id)]);
  }

  heal(): void {
    this.cut.clear();
  }

  // ---- timers and time ----

  /** Fires a node's timer now, moving time forward to its deadline if that is later. */
  fire(id: NodeId, name: string): void {
    const node = this.node(id);
    const deadline = node.timers.get(name);
    assert(node.state !== undefined, `node ${id} is down`);
    assert(deadline !== undefined, `node ${id} has no ${name} timer armed`);
    if (deadline > this.now) this.now = deadline;
    node.timers.delete(name);
    this.runStep(node, () => this.protocol.onTimer(node.state as State, name as Timer, this.contextOf(node)));
  }

  /** The earliest armed timer of a live, unpaused node. */
  nextTimer(): { id: NodeId; name: string; deadline: Micros } | undefined {
    let next: { id: NodeId; name: string; deadline: Micros } | undefined;
    for (const node of this.nodes.values()) {
      if (node.state === undefined || node.paused) continue;
      for (const [name, deadline] of node.timers) {
        if (next === undefined || deadline < next.deadline) next = { id: node.id, name, deadline };
      }
    }
    return next;
  }

  /** Moves time forward by `micros`, firing due timers in deadline order. */
  advance(micros: Micros): void {
    const end = this.now + micros;
    for (;;) {
      const next = this.nextTimer();
      if (next === undefined || next.deadline > end) break;
      this.say(`${next.id}: timer ${next.name}`);
      this.fire(next.id, next.name);
    }
    this.now = end;
  }

  // ---- faults ----

  crash(id: NodeId): void {
    const node = this.node(id);
    assert(node.state !== undefined, `node ${id} is already down`);
    for (const observer of this.observers) {
      const violation = observer.beforeCrash?.(this.view, id);
      if (violation !== undefined) this.violate(observer.name, violation);
    }
    node.state = undefined;
    node.paused = false;
    node.timers.clear();
    node.context.drain();
    node.context.marks = [];
    for (const [requestId, holder] of this.pending) if (holder === id) this.pending.delete(requestId);
  }

  restart(id: NodeId): void {
    assert(this.node(id).state === undefined, `node ${id} is up`);
    this.start(id);
  }

  corrupt(id: NodeId, key: string): void {
    const node = this.node(id);
    assert(node.disk.records.has(key), `node ${id} has no record ${key}`);
    node.disk.records.set(key, { kind: 'corrupt' });
  }

  // ---- clients ----

  /** Sends a client request; returns its id. `sequence` defaults to the client's next one. */
  request(id: NodeId, f: string, key: string, value: Json, clientId = 1, sequence?: number): number {
    const node = this.node(id);
    assert(node.state !== undefined, `node ${id} is down`);
    const requestId = this.nextRequestId++;
    const next = sequence ?? (this.sequences.get(clientId) ?? 0) + 1;
    this.sequences.set(clientId, Math.max(next, this.sequences.get(clientId) ?? 0));
    this.pending.set(requestId, id);
    this.runStep(node, () =>
      this.protocol.onClientRequest(node.state as State, { requestId, clientId, sequence: next, operation: { f, key, value } }, this.contextOf(node)),
    );
    return requestId;
  }

  /** The live nodes that believe they lead (`Protocol.isLeader`). */
  leaders(): NodeId[] {
    const isLeader = this.protocol.isLeader;
    assert(isLeader !== undefined, `${this.protocol.name} does not say who leads`);
    return this.ids.filter((id) => {
      const state = this.node(id).state;
      return state !== undefined && isLeader(state);
    });
  }

  status(id: NodeId): string {
    const state = this.node(id).state;
    return `${id}: ${state === undefined ? 'down' : this.adapter.status(state)}`;
  }

  takeLines(): string[] {
    return this.lines.splice(0, this.lines.length);
  }
}

export function localTime(node: HarnessNode<unknown, Message>, now: Micros): Micros {
  return node.clockOffset + Math.floor((now * node.clockRatePercent) / 100);
}

function matchesLink(flight: InFlight<Message>, from?: NodeId, to?: NodeId): boolean {
  return (from === undefined || flight.from === from) && (to === undefined || flight.to === to);
}

export function renderResponse(response: ClientResponse): string {
  switch (response.status) {
    case 'ok':
      return `ok ${JSON.stringify(response.value)}`;
    case 'fail':
      return `fail (${response.error})`;
    case 'redirect':
      return `redirect leader=${response.leaderHint ?? '-'}`;
    case 'unknown':
      return `unknown (${response.error})`;
  }
}
