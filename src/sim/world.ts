import { Nemesis, type FaultEvent } from '../faults/nemesis.js';
import type { HistoryEvent, Json } from '../history/operation.js';
import type { Meter, NodeEvent } from '../invariants/meter.js';
import { InvariantViolation, type ClusterView, type Observer, type StepFilter } from '../invariants/observer.js';
import { sampleLatency } from '../network/latency.js';
import { Network, type DeliveryEvent } from '../network/network.js';
import { NodeHost, type SyncEvent, type TimerEvent } from '../node/host.js';
import type { ClientRequest, ClientResponse } from '../protocol/client-types.js';
import type { Message, NodeId } from '../protocol/effects.js';
import type { AnyProtocol } from '../protocol/protocol.js';
import { rootStream, type RandomStream } from '../random/random-stream.js';
import type { Scenario } from '../scenario/scenario.js';
import { Trace } from '../trace/trace.js';
import type { TraceEvent } from '../trace/trace-event.js';
import { AssertionFailure, unreachable } from '../util/assert.js';
import { SimulatedClient, type ClientTimeoutEvent, type ClientWakeEvent } from '../workload/client.js';
import { EventQueue } from './event-queue.js';
import { formatMicros, type Micros } from './time.js';
import { internalFail, thrownBySimulator } from './internal-error.js';
import { MarkCounts } from '../node/mark-counts.js';
import { declaredNames } from '../protocol/declared-names.js';
import { StateTimeline } from './state-timeline.js';
import { deepFreezeFor } from '../protocol/hand-over.js';

/** The test suite (and anyone who asks) freezes every protocol's hand-overs deeply. */
const DEEP_FREEZE_EVERYWHERE = process.env.VITEST !== undefined || process.env.FAULTLINE_DEEP_FREEZE === '1';

interface RequestEvent {
  kind: 'request';
  client: number;
  node: NodeId;
  request: ClientRequest;
}

interface ResponseEvent {
  kind: 'response';
  client: number;
  node: NodeId;
  requestId: number;
  response: ClientResponse;
}

/** The end of the safety phase: the liveness phase starts. */
interface PhaseEvent {
  kind: 'phase';
  phase: 'liveness';
}

/** Everything the scheduler can hold. */
export type SimEvent =
  | DeliveryEvent
  | TimerEvent
  | SyncEvent
  | RequestEvent
  | ResponseEvent
  | ClientWakeEvent
  | ClientTimeoutEvent
  | FaultEvent
  | PhaseEvent;

/** Why the main loop stopped before its planned end, if it did. */
export type Interruption =
  | { kind: 'invariant'; invariant: string; detail: string; node: NodeId | undefined }
  | { kind: 'assertion'; detail: string; node: NodeId | undefined }
  /** The simulator broke one of its own rules, or threw: a bug in faultline, not the protocol. */
  | { kind: 'internal'; detail: string; node: NodeId | undefined }
  | { kind: 'limit'; detail: string };

export interface WorldOptions {
  seed: number;
  keepTrace: boolean;
}

/**
 * The simulated world: one scheduler, one network, the node hosts, the clients and the nemesis.
 * Single-threaded and deterministic: the same scenario and seed produce the same trace.
 */
export class World implements ClusterView<unknown> {
  now: Micros = 0;
  eventsProcessed = 0;
  readonly trace: Trace;
  readonly history: HistoryEvent[] = [];
  readonly hosts: NodeHost[];
  readonly network: Network;
  readonly clients: SimulatedClient[];
  readonly nodes: readonly NodeId[];
  readonly protocol: AnyProtocol;
  readonly nemesis: Nemesis;
  /** The protocol's client nodes (`clientPause`), for the `pause-client` fault. */
  readonly clientNodes: readonly NodeId[];
  readonly random: RandomStream;
  /** The run's seed, named by an internal error's verdict. */
  readonly seed: number;
  crashes = 0;
  restarts = 0;
  interruption: Interruption | undefined;
  /** The stack of a failed assertion, for the report's "where". */
  assertionStack: string | undefined;
  livenessStart: Micros | undefined;
  endTime: Micros;
  private readonly queue = new EventQueue<SimEvent>();
  private readonly observers: Observer<unknown>[];
  /** The `always` observers that look at every step: the hot path's list. */
  private readonly stepObservers: Observer<unknown>[];
  /** Skips the observers on steps that cannot matter to them, when the protocol says which. */
  private readonly stepFilter: StepFilter<unknown> | undefined;
  /** `sometimes` observers that watch steps for the case they cover (they never fail a run). */
  private readonly coverageObservers: Observer<unknown>[];
  private readonly eventuallyObservers: Observer<unknown>[];
  /** The protocol's meter, if it measures anything (see src/invariants/meter.ts). */
  readonly meter: Meter<unknown> | undefined;
  private readonly requestOwner: number[] = [];
  /**
   * The certificate for the checker (outside the trace): history positions of invocations, in
   * the order a node answered them ok or fail, which is when they took effect. Each operation
   * appears once, at its first answer.
   */
  readonly effectOrder: number[] = [];
  /** History position of each request's invocation (index: request id), and of each client's open one. */
  private readonly requestInvocation: number[] = [];
  private readonly clientInvocation: number[] = [];
  private readonly answeredInvocations = new Set<number>();
  /** The client behind each history process (index: process), for the report's client lanes. */
  readonly processClients: number[] = [];
  private readonly clientLatencyRandom: RandomStream;
  /** Coverage marks the protocol reached (outside the trace). */
  readonly marks: MarkCounts;
  /** Each node's state summary as it changed, for the report's state lane (only with the trace kept). */
  readonly states: StateTimeline | undefined;
  /** Every node's data after the quiet period (`check.convergence` only). */
  replicas: { node: NodeId; data: ReadonlyMap<string, Json> | undefined }[] | undefined;
  private quiescing = false;
  private nextProcess = 0;
  private nextRequestId = 1;
  private currentNode: NodeId | undefined;

  constructor(
    readonly scenario: Scenario,
    protocol: AnyProtocol,
    options: WorldOptions,
  ) {
    this.protocol = protocol;
    this.marks = new MarkCounts(declaredNames(protocol).markNames);
    this.seed = options.seed;
    this.random = rootStream(options.seed);
    this.trace = new Trace(options.keepTrace);
    this.nodes = [...Array(scenario.nodes).keys()];
    this.endTime = scenario.duration + (scenario.liveness?.bound ?? 0);
    this.network = new Network(scenario.nodes, scenario.network.defaults, scenario.network.partitionMode, this.random.fork('network'), this);
    this.clientLatencyRandom = this.random.fork('client-network');
    const deepFreeze = deepFreezeFor(protocol, DEEP_FREEZE_EVERYWHERE);
    const watchesMarks = scenario.faults.some((entry) => entry.fault.kind === 'pause-client');
    this.clientNodes = protocol.clientPause?.clients(this.nodes, scenario.protocol.options) ?? [];
    this.hosts = this.nodes.map(
      (id) =>
        new NodeHost(
          {
            id,
            nodes: this.nodes,
            protocol,
            protocolOptions: scenario.protocol.options,
            random: this.random.fork(`node/${id}`),
            syncDelay: scenario.disk.syncDelay,
            marks: this.marks,
            deepFreeze,
            // Only a pause-client fault listens to marks; otherwise marking stays a count.
            ...(watchesMarks ? { onMark: (name: string) => this.nemesis.noteMark(id, name) } : {}),
          },
          this,
        ),
    );
    this.clients = Array.from(
      { length: scenario.workload.clients },
      (_, index) => new SimulatedClient(index, scenario.workload, this.random.fork(`client/${index}/operations`), this.random.fork(`client/${index}/timing`), this.clientEnvironment()),
    );
    const summarize = protocol.summarizeState;
    this.states = options.keepTrace && summarize !== undefined ? new StateTimeline((state) => summarize.call(protocol, state), scenario.nodes) : undefined;
    this.nemesis = new Nemesis(scenario.faults, this.random.fork('nemesis'), this, scenario.network.defaults);
    this.observers = scenario.check.invariants ? ((protocol.observers?.(scenario.protocol.options) ?? []) as Observer<unknown>[]) : [];
    this.stepObservers = this.observers.filter((observer) => observer.kind === 'always' && observer.afterStep !== undefined);
    this.stepFilter = scenario.check.invariants ? (protocol.stepFilter?.(scenario.protocol.options) as StepFilter<unknown> | undefined) : undefined;
    this.coverageObservers = this.observers.filter((observer) => observer.kind === 'sometimes' && observer.afterStep !== undefined);
    this.eventuallyObservers = this.observers.filter((observer) => observer.kind === 'eventually' && observer.atEnd !== undefined);
    this.meter = protocol.meter?.(scenario.protocol.options) as Meter<unknown> | undefined;
  }

  /** The meter's samples at the end of the run, each ascending (empty without a meter). */
  measures(): Record<string, { unit: import('../invariants/meter.js').MeasureUnit; samples: number[] }> {
    const meter = this.meter;
    if (meter === undefined) return {};
    const samples = meter.atEnd(this);
    return Object.fromEntries(Object.entries(meter.measures).map(([name, { unit }]) => [name, { unit, samples: [...(samples[name] ?? [])].sort((a, b) => a - b) }]));
  }

  private nodeEvent(node: NodeId, event: NodeEvent): void {
    this.meter?.onNodeEvent?.(this, node, event);
  }

  /** Runs the world to its end; returns normally even when a check interrupted it. */
  run(): void {
    try {
      for (const host of this.hosts) {
        this.currentNode = host.id;
        host.start();
        this.afterStep(host.id);
      }
      for (const client of this.clients) client.start();
      this.nemesis.start();
      if (this.scenario.liveness !== undefined) this.queue.push(this.scenario.duration, { kind: 'phase', phase: 'liveness' });
    } catch (error) {
      this.interrupt(error);
    }
    this.loop();
    if (this.interruption !== undefined && this.interruption.kind === 'internal') return;
    try {
      if (this.interruption === undefined) this.checkAtEnd();
      if (this.interruption === undefined && this.scenario.check.convergence !== undefined) this.quiesce(this.scenario.check.convergence);
      // Whatever stopped the run, every message must be accounted for.
      if ((this.interruption as Interruption | undefined)?.kind !== 'internal') this.network.assertBalanced();
    } catch (error) {
      this.interrupt(error);
    }
  }

  /**
   * The convergence check's quiet period: heal everything, stop the clients (an operation in
   * flight may still complete), run `settle` longer, then read every node's data. It comes after
   * the end-of-run properties, so it cannot change their verdicts; invariants still hold in it.
   */
  private quiesce(settle: Micros): void {
    this.quiescing = true;
    this.record({ kind: 'phase', time: this.now, name: 'quiescence' });
    this.nemesis.stop();
    const description = this.nemesis.healAll();
    this.record({ kind: 'fault', time: this.now, phase: 'end', description });
    for (const client of this.clients) client.stop();
    this.endTime = this.now + settle;
    this.loop();
    if (this.interruption !== undefined) return;
    this.replicas = this.hosts.map((host) => ({
      node: host.id,
      data: host.status === 'up' && this.protocol.replicaData !== undefined ? this.protocol.replicaData(host.state) : undefined,
    }));
  }

  private loop(): void {
    const queue = this.queue;
    const eventLimit = this.scenario.limits.events;
    const bounded = this.scenario.workload.operationsPerClient !== undefined;
    while (this.interruption === undefined && queue.size > 0) {
      if (queue.peekTime() > this.endTime) break;
      if (!this.quiescing && bounded && this.workloadDone()) break;
      if (!this.quiescing && this.livenessStart !== undefined && this.livenessReached()) break;
      if (this.eventsProcessed >= eventLimit) {
        this.interruption = { kind: 'limit', detail: `event limit ${eventLimit} reached at ${formatMicros(this.now)}` };
        break;
      }
      const event = queue.pop();
      this.eventsProcessed++;
      // One try block around the whole step: no closure per event on the hot path.
      try {
        if (queue.poppedTime < this.now) internalFail(`virtual time went backwards: an event at ${formatMicros(queue.poppedTime)} after ${formatMicros(this.now)}`);
        this.now = queue.poppedTime;
        this.dispatch(event);
      } catch (error) {
        this.interrupt(error);
      }
    }
    const stoppedEarly = !this.quiescing && (this.workloadDone() || (this.livenessStart !== undefined && this.livenessReached()));
    if (this.interruption === undefined && this.now < this.endTime && !stoppedEarly) this.now = this.endTime;
  }

  /**
   * The liveness phase ends as soon as every client with work left has been served after the
   * heal and every `eventually` property holds: waiting out the rest of the bound would only add
   * events. Otherwise it runs to the bound, where whatever still fails is the verdict.
   */
  private livenessReached(): boolean {
    for (const client of this.clients) if (!client.finished && client.servedAt === undefined) return false;
    for (const observer of this.eventuallyObservers) if (observer.atEnd!(this) !== undefined) return false;
    return true;
  }

  /** All clients have done what they were asked (only when the workload is bounded). */
  private workloadDone(): boolean {
    if (this.scenario.workload.operationsPerClient === undefined) return false;
    for (const client of this.clients) if (!client.finished) return false;
    return true;
  }

  private dispatch(event: SimEvent): void {
    this.currentNode = undefined;
    switch (event.kind) {
      case 'deliver':
        this.deliver(event);
        this.network.recycle(event);
        return;
      case 'timer':
        this.currentNode = event.node;
        // Observers see a step only when the node took one (a paused node just queues the timer).
        if (this.hosts[event.node]!.fireTimer(event) && this.hosts[event.node]!.status === 'up') this.afterStep(event.node);
        return;
      case 'sync':
        this.currentNode = event.node;
        this.hosts[event.node]!.completeSync(event);
        return;
      case 'request':
        this.deliverRequest(event);
        return;
      case 'response':
        this.trace.response(this.now, event.client, event.node, event.requestId, event.response.status);
        this.clients[event.client]!.receive(event.requestId, event.node, event.response);
        return;
      case 'client-wake':
        this.clients[event.client]!.wake(event);
        return;
      case 'client-timeout':
        this.clients[event.client]!.timeoutDue(event);
        return;
      case 'fault':
        this.nemesis.fire(event);
        return;
      case 'phase':
        this.startLiveness();
        return;
      default:
        unreachable(event, 'simulation event');
    }
  }

  private deliver(event: DeliveryEvent): void {
    if (!this.network.arrive(event)) return;
    const host = this.hosts[event.to]!;
    if (host.status === 'down') {
      this.network.delivered(event, false);
      return;
    }
    this.network.delivered(event, true);
    this.currentNode = event.to;
    host.deliverMessage(event.from, event.message);
    if (host.status === 'up') this.afterStep(event.to);
  }

  private deliverRequest(event: RequestEvent): void {
    const host = this.hosts[event.node]!;
    if (host.status === 'down') return; // the client will time out
    this.trace.request(this.now, event.client, event.node, event.request.requestId, event.request.operation.f);
    this.currentNode = event.node;
    host.handle({ kind: 'request', request: event.request });
    if (host.status === 'up') this.afterStep(event.node);
  }

  private startLiveness(): void {
    this.livenessStart = this.now;
    this.record({ kind: 'phase', time: this.now, name: 'liveness' });
    this.nemesis.stop();
    const description = this.nemesis.healAll(this.scenario.liveness?.core);
    this.record({ kind: 'fault', time: this.now, phase: 'end', description });
    for (const client of this.clients) client.servedSince = this.now;
  }

  /**
   * A failed assertion or invariant in a step stops the run; the verdict names the seed. An error
   * from the simulator's own code is an `internal` interruption, never the protocol's assertion.
   */
  private interrupt(error: unknown): void {
    const node = this.currentNode;
    if (error instanceof InvariantViolation) {
      this.interruption = { kind: 'invariant', invariant: error.invariant, detail: error.detail, node };
      return;
    }
    if (thrownBySimulator(error)) {
      this.interruption = { kind: 'internal', detail: `${(error as Error).name}: ${(error as Error).message}`, node };
      this.assertionStack = (error as Error).stack;
      return;
    }
    const detail = error instanceof AssertionFailure ? error.message : `${(error as Error).name}: ${(error as Error).message}`;
    this.interruption = { kind: 'assertion', detail, node };
    this.assertionStack = (error as Error).stack;
  }

  private afterStep(node: NodeId): void {
    // Before the observers, so that a step that breaks an invariant shows the state it left.
    if (this.states !== undefined) this.states.note(this.now, node, this.hosts[node]!.state);
    this.meter?.afterStep?.(this, node);
    if (this.stepFilter !== undefined && !this.stepFilter.matters(this, node)) return;
    for (const observer of this.stepObservers) {
      const problem = observer.afterStep!(this, node);
      if (problem !== undefined) throw new InvariantViolation(observer.name, problem);
    }
    for (const observer of this.coverageObservers) observer.afterStep!(this, node);
  }

  /**
   * End-of-run properties. `eventually` ones are judged only after a liveness phase (before it,
   * faults may legitimately still be in force); a missed `sometimes` is coverage, not a failure.
   */
  private checkAtEnd(): void {
    for (const observer of this.observers) {
      if (observer.atEnd === undefined || observer.kind === 'always') continue;
      if (observer.kind === 'eventually' && this.livenessStart === undefined) continue;
      const problem = observer.atEnd(this);
      if (problem === undefined) continue;
      if (observer.kind === 'eventually') this.eventuallyFailures.push(`${observer.name}: ${problem}`);
      else this.sometimesMissed.push(`${observer.name}: ${problem}`);
    }
  }

  readonly eventuallyFailures: string[] = [];
  readonly sometimesMissed: string[] = [];

  // --- ClusterView -------------------------------------------------------------------------

  state(node: NodeId): unknown {
    const host = this.hosts[node]!;
    return host.status === 'down' ? undefined : host.state;
  }

  // --- environments for hosts, the network, clients and the nemesis ------------------------

  schedule(at: Micros, event: SimEvent): number {
    return this.queue.push(at, event);
  }

  reserveSequence(): number {
    return this.queue.reserveSequence();
  }

  scheduleReserved(at: Micros, sequence: number, event: TimerEvent | ClientTimeoutEvent): void {
    this.queue.pushReserved(at, sequence, event);
  }

  record(event: TraceEvent): void {
    this.trace.record(event);
  }

  send(from: NodeId, to: NodeId, message: Message): void {
    this.network.send(from, to, message);
    if (this.nemesis.watchesSends) this.nemesis.noteSend(from, message.type);
  }

  reply(node: NodeId, requestId: number, response: ClientResponse): void {
    const client = this.requestOwner[requestId];
    if (client === undefined) return;
    if (response.status === 'ok' || response.status === 'fail') this.noteEffect(requestId);
    const latency = sampleLatency(this.scenario.network.defaults.latency, this.clientLatencyRandom);
    this.queue.push(this.now + latency, { kind: 'response', client, node, requestId, response });
  }

  /** Records when a request's operation took effect, for the certificate (never traced). */
  private noteEffect(requestId: number): void {
    const invocation = this.requestInvocation[requestId];
    if (invocation === undefined || this.answeredInvocations.has(invocation)) return;
    this.answeredInvocations.add(invocation);
    this.effectOrder.push(invocation);
  }

  crash(node: NodeId, tornWrite: boolean): void {
    const host = this.hosts[node]!;
    for (const observer of this.observers) {
      const problem = observer.beforeCrash?.(this, node);
      if (problem !== undefined && observer.kind === 'always') throw new InvariantViolation(observer.name, problem);
    }
    this.nodeEvent(node, 'crash');
    host.crash(tornWrite);
    this.states?.down(this.now, node);
    this.crashes++;
  }

  restart(node: NodeId): void {
    this.currentNode = node;
    this.hosts[node]!.restart();
    this.restarts++;
    this.nodeEvent(node, 'restart');
    this.afterStep(node);
  }

  get clientCount(): number {
    return this.clients.length;
  }

  crashClient(client: number): void {
    this.clients[client]!.crash();
  }

  pause(node: NodeId): void {
    this.hosts[node]!.pause();
    this.nodeEvent(node, 'pause');
  }

  resume(node: NodeId): void {
    this.currentNode = node;
    this.nodeEvent(node, 'resume');
    this.hosts[node]!.resume(() => this.afterStep(node));
  }

  private clientEnvironment() {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const world = this;
    return {
      get now() {
        return world.now;
      },
      nodeCount: this.nodes.length,
      retriesAreSafe: this.protocol.deduplicatesRetries,
      sendRequest(client: number, node: NodeId, request: ClientRequest) {
        world.requestOwner[request.requestId] = client;
        const invocation = world.clientInvocation[client];
        if (invocation !== undefined) world.requestInvocation[request.requestId] = invocation;
        const latency = sampleLatency(world.scenario.network.defaults.latency, world.clientLatencyRandom);
        world.queue.push(world.now + latency, { kind: 'request', client, node, request });
      },
      schedule(at: Micros, event: ClientWakeEvent | ClientTimeoutEvent) {
        return world.queue.push(at, event);
      },
      reserveSequence: () => world.reserveSequence(),
      scheduleReserved: (at: Micros, sequence: number, event: ClientTimeoutEvent) => world.scheduleReserved(at, sequence, event),
      recordHistory(event: HistoryEvent) {
        world.history.push(event);
        if (event.type === 'invoke') {
          const client = world.processClients[event.process];
          if (client !== undefined) world.clientInvocation[client] = world.history.length - 1;
        }
        world.trace.client(world.now, event.process, event.type, event.f, event.key, event.value);
      },
      allocateProcess(client: number) {
        world.processClients.push(client);
        return world.nextProcess++;
      },
      allocateRequestId() {
        return world.nextRequestId++;
      },
    };
  }
}
