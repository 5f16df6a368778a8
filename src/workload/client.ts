import { UNAVAILABLE, type EventType, type HistoryEvent, type Json } from '../history/operation.js';
import type { ClientOperation, ClientRequest, ClientResponse } from '../protocol/client-types.js';
import type { NodeId } from '../protocol/effects.js';
import type { RandomStream } from '../random/random-stream.js';
import type { WorkloadSpec } from '../scenario/scenario.js';
import type { Micros } from '../sim/time.js';
import { dueNow, postpone, queueAt, type Postponable } from '../sim/postponable.js';
import { assert, fail, unreachable } from '../util/assert.js';
import { OperationGenerator } from './operation-generator.js';

/** A client's alarm: time to invoke the next operation, or to retry an attempt. */
export interface ClientWakeEvent {
  kind: 'client-wake';
  client: number;
  reason: 'invoke' | 'retry';
  /** The attempt a retry belongs to; stale alarms are ignored. */
  attempt: number;
}

/**
 * The deadline of a client's latest attempt: one event per client, postponed in place as host
 * timers are. Nearly every request is answered long before its deadline, and the next attempt
 * sets a later one, so an alarm per attempt would fill the queue with dead ones.
 */
export interface ClientTimeoutEvent extends Postponable {
  kind: 'client-timeout';
  client: number;
  /** The attempt whose deadline this is; a timeout for any other attempt is stale. */
  attempt: number;
  queued: boolean;
}

export interface ClientEnvironment {
  readonly now: Micros;
  readonly nodeCount: number;
  /** True when the protocol applies a retried request at most once (client sessions). */
  readonly retriesAreSafe: boolean;
  sendRequest(client: number, node: NodeId, request: ClientRequest): void;
  /** Queues an event; returns its sequence number (its place among events at the same time). */
  schedule(at: Micros, event: ClientWakeEvent | ClientTimeoutEvent): number;
  /** For the deadline, a postponable event. */
  reserveSequence(): number;
  scheduleReserved(at: Micros, sequence: number, event: ClientTimeoutEvent): void;
  recordHistory(event: HistoryEvent): void;
  /** A fresh process number for client `client` (the world notes whose it is, for reports). */
  allocateProcess(client: number): number;
  allocateRequestId(): number;
}

interface PendingOperation {
  operation: ClientOperation;
  invokedAt: Micros;
  sequence: number;
  attempts: number;
  /** An earlier attempt may have taken effect (timed out or answered `unknown`). */
  uncertain: boolean;
  /** The request ids of its attempts (a handful at most: one per attempt). */
  requestIds: number[];
}

/**
 * A simulated client, as real clients behave: one operation at a time, a timeout per request,
 * follow the leader hint, retry elsewhere with a backoff, and record honestly — an operation whose
 * fate the client cannot know ends as `info`, and the client then continues as a new process.
 */
export class SimulatedClient {
  process: number;
  completed = 0;
  /** Time of the last ok/fail completion of an operation invoked at or after `servedSince`. */
  servedAt: Micros | undefined;
  servedSince: Micros = Number.POSITIVE_INFINITY;
  private target: NodeId;
  private pending: PendingOperation | undefined;
  private sequence = 0;
  private attempt = 0;
  private stopped = false;
  private readonly generator: OperationGenerator;
  private readonly timeout: ClientTimeoutEvent;

  constructor(
    readonly index: number,
    private readonly spec: WorkloadSpec,
    operationRandom: RandomStream,
    private readonly timingRandom: RandomStream,
    private readonly environment: ClientEnvironment,
  ) {
    this.generator = new OperationGenerator(spec, index, operationRandom);
    this.process = environment.allocateProcess(index);
    this.target = this.home;
    this.timeout = { kind: 'client-timeout', client: index, attempt: 0, queued: false, queuedAt: 0, queuedSequence: 0, dueAt: 0, dueSequence: 0 };
  }

  get busy(): boolean {
    return this.pending !== undefined;
  }

  /** True once the client has done all the operations it was asked to do. */
  get finished(): boolean {
    const allDone = this.generator.exhausted || (this.spec.operationsPerClient !== undefined && this.completed >= this.spec.operationsPerClient);
    return allDone && !this.busy;
  }

  get pendingSince(): Micros | undefined {
    return this.pending?.invokedAt;
  }

  start(): void {
    const rate = this.spec.ratePerSecond;
    const first = this.timingRandom.int(Math.max(1, rate === undefined ? this.spec.thinkTime : this.arrivalInterval()));
    if (rate !== undefined) this.nextArrival = first;
    this.scheduleInvoke(first);
  }

  /**
   * Open loop (`rate`): operations arrive on their own schedule, one every ~1/rate seconds,
   * whether or not the last one has finished. Arrivals while the client is busy wait, and are
   * invoked back to back once it is free (a client process does one operation at a time).
   */
  private nextArrival: Micros | undefined;

  private arrivalInterval(): Micros {
    return Math.max(1, Math.round(1_000_000 / (this.spec.ratePerSecond as number)));
  }

  /** No new operations after this; the one in flight may still complete. */
  stop(): void {
    this.stopped = true;
  }

  /**
   * The client process dies. Its operation in flight, if any, may or may not take effect: it is
   * recorded `info`, and the client comes back as a new process (Jepsen's rule). Late answers to
   * the dead process's requests are ignored.
   */
  crash(): void {
    if (this.pending !== undefined) this.complete('info', this.pending.operation.value, 'client crashed');
  }

  wake(event: ClientWakeEvent): void {
    switch (event.reason) {
      case 'invoke':
        if (this.pending === undefined && !this.stopped && !this.finished) this.invoke();
        return;
      case 'retry':
        if (this.pending !== undefined && event.attempt === this.attempt) this.sendAttempt();
        return;
      default:
        unreachable(event.reason, 'client wake reason');
    }
  }

  /** The deadline event came up: queue it again if it was postponed, else time out its attempt. */
  timeoutDue(event: ClientTimeoutEvent): void {
    assert(event === this.timeout && event.queued, 'a timeout event that is not this client\'s queued one');
    if (!dueNow(this.environment, event)) return;
    event.queued = false;
    if (this.pending !== undefined && event.attempt === this.attempt) this.onTimeout();
  }

  receive(requestId: number, node: NodeId, response: ClientResponse): void {
    const pending = this.pending;
    if (pending === undefined || !pending.requestIds.includes(requestId)) return; // an old operation's late answer
    switch (response.status) {
      case 'ok':
        this.complete('ok', this.outputOf(pending.operation, response.value));
        return;
      case 'fail':
        // A definite "not applied" from this attempt; an earlier attempt may still have applied.
        this.complete(pending.uncertain ? 'info' : 'fail', pending.operation.value, response.error);
        return;
      case 'redirect':
        this.target = this.afterRedirect(node, response.leaderHint);
        this.retryOrGiveUp(false);
        return;
      case 'unknown':
        pending.uncertain = true;
        this.target = this.afterFailure(node);
        this.retryOrGiveUp(true);
        return;
      default:
        unreachable(response, 'client response');
    }
  }

  private invoke(): void {
    const due = this.generator.notBefore;
    if (due !== undefined && due > this.environment.now) {
      this.environment.schedule(due, { kind: 'client-wake', client: this.index, reason: 'invoke', attempt: this.attempt });
      return;
    }
    const operation = this.generator.next();
    if (this.nextArrival !== undefined) {
      const interval = this.arrivalInterval();
      this.nextArrival += this.timingRandom.range(Math.ceil(interval / 2), interval + Math.floor(interval / 2));
    }
    this.sequence++;
    if (this.spec.connection === 'hop') this.target = (this.index + this.sequence - 1) % this.environment.nodeCount;
    this.pending = { operation, invokedAt: this.environment.now, sequence: this.sequence, attempts: 0, uncertain: false, requestIds: [] };
    this.record('invoke', operation, operation.value);
    this.sendAttempt();
  }

  private sendAttempt(): void {
    const pending = this.pending;
    assert(pending !== undefined, 'an attempt with no operation');
    pending.attempts++;
    this.attempt++;
    const requestId = this.environment.allocateRequestId();
    pending.requestIds.push(requestId);
    const request: ClientRequest = { requestId, clientId: this.index, sequence: pending.sequence, operation: pending.operation };
    this.environment.sendRequest(this.index, this.target, request);
    this.armTimeout(this.environment.now + this.spec.requestTimeout);
  }

  private armTimeout(at: Micros): void {
    const event = this.timeout;
    event.attempt = this.attempt;
    if (event.queued) {
      // Deadlines only move later (time runs forward, the timeout is fixed).
      if (!postpone(this.environment, event, at)) fail(`deadline ${at} before the queued ${event.queuedAt}`);
      return;
    }
    event.queued = true;
    queueAt(this.environment, event, at);
  }


  private onTimeout(): void {
    const pending = this.pending as PendingOperation;
    pending.uncertain = true;
    this.target = this.afterFailure(this.target);
    this.retryOrGiveUp(true);
  }

  /** Retries when attempts remain and a retry cannot apply the operation twice. */
  private retryOrGiveUp(afterUncertainty: boolean): void {
    const pending = this.pending as PendingOperation;
    const safe = !afterUncertainty || pending.operation.f === 'read' || this.environment.retriesAreSafe;
    if (pending.attempts < this.spec.maxAttempts && (safe || !pending.uncertain)) {
      this.attempt++;
      // Floored: a timeout that is not a multiple of 10µs must not give the integer-only stream a fraction.
      const backoff = this.timingRandom.range(1_000, 1_000 + Math.floor(this.spec.requestTimeout / 10));
      this.environment.schedule(this.environment.now + Math.round(backoff), {
        kind: 'client-wake',
        client: this.index,
        reason: 'retry',
        attempt: this.attempt,
      });
      return;
    }
    this.complete(pending.uncertain ? 'info' : 'fail', pending.operation.value, pending.uncertain ? 'timeout' : UNAVAILABLE);
  }

  private complete(type: EventType, value: Json, error?: string): void {
    const pending = this.pending as PendingOperation;
    this.record(type, pending.operation, value, error);
    this.generator.observeLock(pending.operation, type === 'invoke' ? 'info' : type);
    if (type === 'ok' || type === 'fail') {
      this.generator.observe(pending.operation, type, value);
      if (pending.invokedAt >= this.servedSince) this.servedAt ??= this.environment.now;
    }
    this.pending = undefined;
    this.attempt++; // makes any alarm of the finished operation stale
    this.completed++;
    if (type === 'info') this.process = this.environment.allocateProcess(this.index);
    this.scheduleInvoke(this.nextInvokeDelay());
  }

  private nextInvokeDelay(): Micros {
    if (this.nextArrival !== undefined) return Math.max(0, this.nextArrival - this.environment.now);
    return this.timingRandom.range(Math.ceil(this.spec.thinkTime / 2), this.spec.thinkTime + Math.floor(this.spec.thinkTime / 2));
  }

  private scheduleInvoke(delay: Micros): void {
    if (this.stopped || this.finished) return;
    this.environment.schedule(this.environment.now + delay, { kind: 'client-wake', client: this.index, reason: 'invoke', attempt: this.attempt });
  }

  /** What an `ok` completion records: what the node returned for reads, dequeues and lock grants. */
  private outputOf(operation: ClientOperation, value: Json): Json {
    return operation.f === 'read' || operation.f === 'dequeue' || operation.f === 'acquire' ? value : operation.value;
  }

  private record(type: EventType, operation: ClientOperation, value: Json, error?: string): void {
    // Every field always present (undefined when absent, which JSON leaves out): one object shape.
    const event: HistoryEvent = { process: this.process, type, f: operation.f, key: operation.key, value, time: this.environment.now, error };
    this.environment.recordHistory(event);
  }

  private get home(): NodeId {
    return this.index % this.environment.nodeCount;
  }

  private afterRedirect(node: NodeId, leaderHint: NodeId | null): NodeId {
    if (this.spec.connection === 'sticky') return this.home;
    return leaderHint ?? this.nextNode(node);
  }

  private afterFailure(node: NodeId): NodeId {
    return this.spec.connection === 'sticky' ? this.home : this.nextNode(node);
  }

  private nextNode(node: NodeId): NodeId {
    return (node + 1) % this.environment.nodeCount;
  }
}
