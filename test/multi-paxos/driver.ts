/**
 * A small deterministic in-memory Multi-Paxos cluster for step-by-step tests, on EffectCollector
 * (not the simulator's world). Nothing happens unless the test asks: sent messages wait in one
 * queue until delivered or dropped; timers fire only when fired. Every write is durable at once.
 * The invariant observers run after every step, and their violations are collected.
 */
import type { Json } from '../../src/history/operation.js';
import type { ClusterView, Observer } from '../../src/invariants/observer.js';
import type { ClientOperation } from '../../src/protocol/client-types.js';
import { EffectCollector } from '../../src/protocol/context.js';
import { declaredNames } from '../../src/protocol/declared-names.js';
import type { NodeId } from '../../src/protocol/effects.js';
import type { DurableReader, DurableRecord } from '../../src/protocol/protocol.js';
import { multiPaxosProtocol, renderPaxosMessage, renderPaxosState, type PaxosMessage, type PaxosOptions, type PaxosState } from '../../src/protocols/multi-paxos/index.js';
import { DEFAULT_PAXOS_OPTIONS } from '../../src/protocols/multi-paxos/options.js';
import type { PaxosTimer } from '../../src/protocols/multi-paxos/declarations.js';
import { RandomStream } from '../../src/random/random-stream.js';

class MemoryDisk implements DurableReader {
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

export interface InFlight {
  from: NodeId;
  to: NodeId;
  message: PaxosMessage;
}

export class PaxosDriver implements ClusterView<PaxosState> {
  get now(): number {
    return this.collectors[0]?.now ?? 0;
  }
  readonly nodes: NodeId[];
  readonly queue: InFlight[] = [];
  readonly replies: string[] = [];
  readonly violations: string[] = [];
  private readonly states: (PaxosState | undefined)[] = [];
  private readonly disks: MemoryDisk[] = [];
  private readonly collectors: EffectCollector<PaxosMessage>[] = [];
  private readonly observers: Observer<PaxosState>[];
  private readonly options: PaxosOptions;
  private nextRequestId = 1;

  constructor(size: number, options: Partial<PaxosOptions> = {}) {
    this.nodes = Array.from({ length: size }, (_, id) => id);
    this.options = { ...DEFAULT_PAXOS_OPTIONS, ...options };
    this.observers = multiPaxosProtocol.observers!(this.options);
    const declared = declaredNames(multiPaxosProtocol);
    for (const id of this.nodes) {
      this.disks.push(new MemoryDisk());
      this.collectors.push(new EffectCollector<PaxosMessage>(id, this.nodes, new RandomStream(`node-${id}`), declared));
      this.start(id);
    }
  }

  /** Moves every node's clock forward (followers stop hearing a live leader after an election timeout). */
  advance(ms: number): void {
    for (const collector of this.collectors) collector.now += ms * 1000;
  }

  state(node: NodeId): PaxosState | undefined {
    return this.states[node];
  }

  /** `renderPaxosState` of a node. */
  show(node: NodeId): string {
    const state = this.states[node];
    return state === undefined ? 'down' : renderPaxosState(state);
  }

  fire(node: NodeId, timer: PaxosTimer): void {
    this.run(node, (state, context) => multiPaxosProtocol.onTimer(state, timer, context));
  }

  request(node: NodeId, clientId: number, sequence: number, operation: ClientOperation): void {
    const requestId = this.nextRequestId++;
    this.run(node, (state, context) => multiPaxosProtocol.onClientRequest(state, { requestId, clientId, sequence, operation }, context));
  }

  /** The messages waiting, one line each: `0->1 prepare ballot=1.0 from=1`. */
  pending(): string[] {
    return this.queue.map(({ from, to, message }) => `${from}->${to} ${renderPaxosMessage(message)}`);
  }

  /** Delivers every waiting message matching `which` (in order); messages they cause wait. */
  deliver(which: (flight: InFlight) => boolean = () => true): void {
    const chosen = this.queue.filter(which);
    for (const flight of chosen) this.queue.splice(this.queue.indexOf(flight), 1);
    for (const { from, to, message } of chosen) {
      if (this.states[to] === undefined) continue;
      this.run(to, (state, context) => multiPaxosProtocol.onMessage(state, from, message, context));
    }
  }

  drop(which: (flight: InFlight) => boolean): void {
    for (const flight of this.queue.filter(which)) this.queue.splice(this.queue.indexOf(flight), 1);
  }

  crash(node: NodeId): void {
    for (const observer of this.observers) this.note(observer.name, observer.beforeCrash?.(this, node));
    this.states[node] = undefined;
  }

  start(node: NodeId): void {
    const collector = this.collectors[node]!;
    this.states[node] = multiPaxosProtocol.init(collector, this.disks[node]!, this.options);
    this.apply(node);
  }

  private run(node: NodeId, handler: (state: PaxosState, context: EffectCollector<PaxosMessage>) => void): void {
    const state = this.states[node];
    if (state === undefined) throw new Error(`node ${node} is down`);
    handler(state, this.collectors[node]!);
    this.apply(node);
  }

  private apply(node: NodeId): void {
    for (const effect of this.collectors[node]!.drain()) {
      if (effect.kind === 'send') this.queue.push({ from: node, to: effect.to, message: effect.message });
      else if (effect.kind === 'persist') this.disks[node]!.write(effect.key, effect.value);
      else if (effect.kind === 'reply') this.replies.push(`node ${node} #${effect.requestId} ${JSON.stringify(effect.response)}`);
    }
    this.collectors[node]!.marks = [];
    for (const observer of this.observers) if (observer.kind === 'always') this.note(observer.name, observer.afterStep?.(this, node));
  }

  private note(name: string, problem: string | undefined): void {
    if (problem !== undefined) this.violations.push(`${name}: ${problem}`);
  }
}

export const to = (node: NodeId) => (flight: InFlight) => flight.to === node;
export const from = (node: NodeId) => (flight: InFlight) => flight.from === node;
export const type = (name: PaxosMessage['type']) => (flight: InFlight) => flight.message.type === name;
export const both = (a: (flight: InFlight) => boolean, b: (flight: InFlight) => boolean) => (flight: InFlight) => a(flight) && b(flight);
