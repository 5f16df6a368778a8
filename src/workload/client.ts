import { UNAVAILABLE, type EventType, type HistoryEvent, type Json } from '../history/operation.js';
import type { ClientOperation, ClientRequest, ClientResponse } from '../protocol/client-types.js';
import type { NodeId } from '../protocol/effects.js';
import type { RandomStream } from '../random/random-stream.js';
import type { WorkloadSpec } from '../scenario/scenario.js';
import type { Micros } from '../sim/time.js';
import { assert, unreachable } from '../util/assert.js';
import { OperationGenerator } from './operation-generator.js';

/** A client's alarm: time to invoke the next operation, or an attempt's timeout. */
export interface ClientWakeEvent {
  kind: 'client-wake';
  client: number;
  reason: 'invoke' | 'timeout' | 'retry';
  /** The attempt a timeout or retry belongs to; stale alarms are ignored. */
  attempt: number;
}

export interface ClientEnvironment {
  readonly now: Micros;
  readonly nodeCount: number;
  /** True when the protocol applies a retried request at most once (client sessions). */
  readonly retriesAreSafe: boolean;
  sendRequest(client: number, node: NodeId, request: ClientRequest): void;
  schedule(at: Micros, event: ClientWakeEvent): void;
  recordHistory(event: HistoryEvent): void;
  allocateProcess(): number;
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

  constructor(
    readonly index: number,
    private readonly spec: WorkloadSpec,
    operationRandom: RandomStream,
    private readonly timingRandom: RandomStream,
    private readonly environment: ClientEnvironment,
  ) {
    this.generator = new OperationGenerator(spec, index, operationRandom);
    this.process = environment.allocateProcess();
    this.target = index % environment.nodeCount;
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
      case 'timeout':
        if (this.pending !== undefined && event.attempt === this.attempt) this.onTimeout();
        return;
      case 'retry':
        if (this.pending !== undefined && event.attempt === this.attempt) this.sendAttempt();
        return;
      default:
        unreachable(event.reason, 'client wake reason');
    }
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
        this.target = response.leaderHint ?? this.nextNode(node);
        this.retryOrGiveUp(false);
        return;
      case 'unknown':
        pending.uncertain = true;
        this.target = this.nextNode(node);
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
    this.environment.schedule(this.environment.now + this.spec.requestTimeout, {
      kind: 'client-wake',
      client: this.index,
      reason: 'timeout',
      attempt: this.attempt,
    });
  }

  private onTimeout(): void {
    const pending = this.pending as PendingOperation;
    pending.uncertain = true;
    this.target = this.nextNode(this.target);
    this.retryOrGiveUp(true);
  }

  /** Retries when attempts remain and a retry cannot apply the operation twice. */
  private retryOrGiveUp(afterUncertainty: boolean): void {
    const pending = this.pending as PendingOperation;
    const safe = !afterUncertainty || pending.operation.f === 'read' || this.environment.retriesAreSafe;
    if (pending.attempts < this.spec.maxAttempts && (safe || !pending.uncertain)) {
      this.attempt++;
      const backoff = this.timingRandom.range(1_000, 1_000 + this.spec.requestTimeout / 10);
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
    if (type === 'info') this.process = this.environment.allocateProcess();
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

  private nextNode(node: NodeId): NodeId {
    return (node + 1) % this.environment.nodeCount;
  }
}
