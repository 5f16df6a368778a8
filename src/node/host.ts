import type { ClientRequest, ClientResponse } from '../protocol/client-types.js';
import type { Effect, Message, NodeId } from '../protocol/effects.js';
import type { AnyProtocol } from '../protocol/protocol.js';
import type { RandomStream } from '../random/random-stream.js';
import { dueNow, postpone, queueAt, type Postponable } from '../sim/postponable.js';
import type { Micros } from '../sim/time.js';
import type { Trace } from '../trace/trace.js';
import { unreachable } from '../util/assert.js';
import type { Json } from '../history/operation.js';
import { NodeClock } from './clock.js';
import { declaredNames } from '../protocol/declared-names.js';
import { HostContext, type EffectSink } from './host-context.js';
import type { MarkCounts } from './mark-counts.js';
import { Disk } from './disk.js';
import { internalFail } from '../sim/internal-error.js';
import { TimerTable } from './timer-table.js';

export type NodeStatus = 'up' | 'down' | 'paused';

/**
 * The only status changes a host makes: a crash takes a running or paused node down, a restart
 * brings it back, a pause and a resume stop and continue it. Anything else (a crash of a node
 * already down, a resume of a running one) means the nemesis or the world lost track of it.
 */
const TRANSITIONS: Record<NodeStatus, readonly NodeStatus[]> = {
  up: ['down', 'paused'],
  paused: ['up', 'down'],
  down: ['up'],
};

/**
 * A timer as the scheduler holds it. Cancelling, or re-arming it earlier, marks it `cancelled`;
 * re-arming it later (every heartbeat postpones an election timer) postpones it in place.
 */
export interface TimerEvent extends Postponable {
  kind: 'timer';
  node: NodeId;
  name: string;
  cancelled: boolean;
}

export interface SyncEvent {
  kind: 'sync';
  node: NodeId;
  incarnation: number;
}

/** An input waiting in a paused node's queue. */
export type HostInput =
  | { kind: 'message'; from: NodeId; message: Message }
  | { kind: 'timer'; name: string }
  | { kind: 'request'; request: ClientRequest };

/** What a host needs from the world around it. */
export interface HostEnvironment {
  readonly now: Micros;
  /** Queues an event; returns its sequence number (its place among events at the same time). */
  schedule(at: Micros, event: TimerEvent | SyncEvent): number;
  reserveSequence(): number;
  scheduleReserved(at: Micros, sequence: number, event: TimerEvent): void;
  send(from: NodeId, to: NodeId, message: Message): void;
  reply(node: NodeId, requestId: number, response: ClientResponse): void;
  readonly trace: Trace;
}

export interface HostOptions {
  id: NodeId;
  nodes: readonly NodeId[];
  protocol: AnyProtocol;
  protocolOptions: unknown;
  random: RandomStream;
  /** Time from a write to its durability; 0 makes every write durable at once. */
  syncDelay: Micros;
  /** Where this run counts coverage marks (shared by every host of the world). */
  marks: MarkCounts;
  /** How deeply what the protocol hands over is frozen (src/protocol/hand-over.ts); default deep. */
  deepFreeze?: boolean;
  /** Told of every mark this node reaches (the `pause-client` fault waits for one). */
  onMark?: (name: string) => void;
}

/**
 * Runs one protocol state machine and applies its effects. The host owns what a real machine
 * owns: the disk, the clock, the timers, the process (up, down, paused). The protocol owns only
 * its volatile state, which the host drops on crash.
 */
export class NodeHost implements EffectSink {
  status: NodeStatus = 'up';
  state: unknown;
  incarnation = 0;
  readonly disk = new Disk();
  readonly clock = new NodeClock();
  private readonly context: HostContext;
  /** This step wrote to disk: sends and replies after it wait for the sync (when it takes time). */
  private wroteThisStep = false;
  private readonly timers = new TimerTable<TimerEvent>();
  private readonly spareTimers: TimerEvent[] = [];
  private inbox: HostInput[] = [];
  /** Sends and replies waiting for the in-flight sync (etcd's rule: persist before you speak). */
  private held: Effect[] = [];
  private syncInFlight = false;

  constructor(
    private readonly options: HostOptions,
    private readonly environment: HostEnvironment,
  ) {
    this.context = new HostContext(options.id, options.nodes, options.random, this, {
      protocol: options.protocol.name,
      declared: declaredNames(options.protocol),
      marks: options.marks,
      deepFreeze: options.deepFreeze ?? true,
      ...(options.onMark === undefined ? {} : { onMark: options.onMark }),
    });
  }

  get id(): NodeId {
    return this.options.id;
  }

  /** Starts (or restarts) the protocol from whatever the disk holds. */
  start(): void {
    if (this.status !== 'up') internalFail(`node ${this.id} started while ${this.status}`);
    this.prepareContext();
    this.state = this.options.protocol.init(this.context, this.disk, this.options.protocolOptions);
    this.endStep();
  }

  /** A message from the network: the allocation-free path of `handle`. */
  deliverMessage(from: NodeId, message: Message): void {
    if (this.status === 'up') {
      this.prepareContext();
      this.options.protocol.onMessage(this.state, from, message, this.context);
      this.endStep();
      return;
    }
    this.handle({ kind: 'message', from, message });
  }

  /** Handles an input now, queues it if paused, or refuses it (returns false) if down. */
  handle(input: HostInput): boolean {
    if (this.status === 'down') return false;
    if (this.status === 'paused') {
      this.inbox.push(input);
      return true;
    }
    this.process(input);
    return true;
  }

  /**
   * A timer event popped from the scheduler; stale and cancelled timers are ignored, postponed
   * ones queued again. Returns whether the node took a step.
   */
  fireTimer(event: TimerEvent): boolean {
    if (event.cancelled || this.timers.get(event.name) !== event) {
      this.spareTimers.push(event);
      return false;
    }
    if (!dueNow(this.environment, event)) return false;
    this.timers.delete(event.name);
    this.environment.trace.timer(this.environment.now, this.id, event.name);
    const handled = this.handle({ kind: 'timer', name: event.name });
    this.spareTimers.push(event); // popped and handled: nothing refers to it any more
    return handled;
  }

  completeSync(event: SyncEvent): void {
    if (event.incarnation !== this.incarnation) return;
    if (!this.syncInFlight) internalFail(`node ${this.id} got a sync with none in flight`);
    this.disk.sync();
    this.syncInFlight = false;
    const released = this.held;
    this.held = [];
    for (const effect of released) this.applyOutward(effect);
  }

  crash(tornFinalWrite: boolean): void {
    this.transition('down', 'crashed');
    for (const timer of this.timers.values()) timer.cancelled = true;
    this.timers.clear();
    this.inbox = [];
    this.held = [];
    this.syncInFlight = false;
    const lostWrites = this.disk.loseUnsynced(tornFinalWrite);
    this.state = undefined;
    this.incarnation++;
    this.environment.trace.record({ kind: 'crash', time: this.environment.now, node: this.id, lostWrites });
  }

  restart(): void {
    this.transition('up', 'restarted');
    this.environment.trace.record({ kind: 'restart', time: this.environment.now, node: this.id });
    this.start();
  }

  pause(): void {
    if (this.status !== 'up') internalFail(`node ${this.id} paused while ${this.status}`);
    this.transition('paused', 'paused');
    this.environment.trace.record({ kind: 'pause', time: this.environment.now, node: this.id });
  }

  /**
   * Resumes a paused node: it handles everything that queued up, in arrival order, calling
   * `afterEach` after every input so observers see each step, as they would have unpaused.
   */
  resume(afterEach?: () => void): void {
    if (this.status !== 'paused') internalFail(`node ${this.id} resumed while ${this.status}`);
    this.transition('up', 'resumed');
    const queued = this.inbox;
    this.inbox = [];
    this.environment.trace.record({ kind: 'resume', time: this.environment.now, node: this.id, queued: queued.length });
    for (const input of queued) {
      if ((this.status as NodeStatus) !== 'up') break; // an input may have crashed it
      this.process(input);
      afterEach?.();
    }
  }

  private transition(next: NodeStatus, action: string): void {
    if (!TRANSITIONS[this.status].includes(next)) internalFail(`node ${this.id} ${action} while ${this.status} (${this.status} -> ${next} is not a status change a host makes)`);
    this.status = next;
  }

  get queuedInputs(): number {
    return this.inbox.length;
  }

  private process(input: HostInput): void {
    const protocol = this.options.protocol;
    this.prepareContext();
    switch (input.kind) {
      case 'message':
        protocol.onMessage(this.state, input.from, input.message, this.context);
        break;
      case 'timer':
        protocol.onTimer(this.state, input.name, this.context);
        break;
      case 'request':
        protocol.onClientRequest(this.state, input.request, this.context);
        break;
      default:
        unreachable(input, 'host input');
    }
    this.endStep();
  }

  private prepareContext(): void {
    this.context.now = this.clock.local(this.environment.now);
    this.wroteThisStep = false;
  }

  private endStep(): void {
    if (this.wroteThisStep) this.startSync();
  }

  // --- EffectSink: the protocol's effects, applied in the order it asks for them ------------

  send(to: NodeId, message: Message): void {
    if (this.mustHold()) this.held.push({ kind: 'send', to, message });
    else this.environment.send(this.id, to, message);
  }

  reply(requestId: number, response: ClientResponse): void {
    if (this.mustHold()) this.held.push({ kind: 'reply', requestId, response });
    else this.environment.reply(this.id, requestId, response);
  }

  persist(key: string, value: Json | undefined): void {
    // With no sync delay a write is durable before anything else can happen (a crash never
    // falls inside a step), so it skips the pending list.
    if (this.options.syncDelay === 0) {
      this.disk.writeDurable(key, value);
      return;
    }
    this.disk.write(key, value);
    this.wroteThisStep = true;
  }

  /** Etcd's rule: nothing that may depend on a write leaves before the write is durable. */
  private mustHold(): boolean {
    return this.syncInFlight || (this.wroteThisStep && this.options.syncDelay > 0);
  }

  private startSync(): void {
    if (this.options.syncDelay === 0) {
      this.disk.sync();
      return;
    }
    if (this.syncInFlight) return; // group commit: the in-flight sync takes these writes too
    this.syncInFlight = true;
    const event: SyncEvent = { kind: 'sync', node: this.id, incarnation: this.incarnation };
    this.environment.schedule(this.environment.now + this.options.syncDelay, event);
  }

  private applyOutward(effect: Effect): void {
    if (effect.kind === 'send') this.environment.send(this.id, effect.to, effect.message);
    else if (effect.kind === 'reply') this.environment.reply(this.id, effect.requestId, effect.response);
    else internalFail(`effect ${effect.kind} is not outward`);
  }

  armTimer(name: string, localDelay: Micros): void {
    const at = this.environment.now + this.clock.globalDelay(localDelay);
    const armed = this.timers.get(name);
    if (armed !== undefined && postpone(this.environment, armed, at)) return;
    if (armed !== undefined) armed.cancelled = true;
    // Reuse the objects of timers already popped instead of allocating one per arming.
    const event = this.spareTimers.pop() ?? { kind: 'timer', node: this.id, name, cancelled: false, queuedAt: 0, queuedSequence: 0, dueAt: 0, dueSequence: 0 };
    event.name = name;
    event.cancelled = false;
    this.timers.set(name, event);
    queueAt(this.environment, event, at);
  }

  disarmTimer(name: string): void {
    const existing = this.timers.get(name);
    if (existing === undefined) return;
    existing.cancelled = true;
    this.timers.delete(name);
  }
}
