import type { Message, NodeId } from '../protocol/effects.js';
import type { RandomStream } from '../random/random-stream.js';
import type { Micros } from '../sim/time.js';
import type { Trace } from '../trace/trace.js';
import { internalFail } from '../sim/internal-error.js';
import { sampleLatency } from './latency.js';
import { droppedTotal, emptyCounters, PPM, type LinkSettings, type NetworkCounters, type PartitionMode } from './link.js';
import { cutLinks, type PartitionShape } from './partition.js';

/**
 * How many messages one directed link holds while cut in `hold` mode. A partition that outlasts
 * it loses what comes after (counted with the partition drops), as a TCP send buffer that fills
 * up: the queue is bounded like everything else. No shipped scenario comes near it.
 */
export const HELD_PER_LINK_MAX = 10_000;

/** A message in flight, as the scheduler holds it until its arrival time. */
export interface DeliveryEvent {
  kind: 'deliver';
  from: NodeId;
  to: NodeId;
  message: Message;
  /** The trace's code for the message's type, looked up once at the send (−1: not yet). */
  typeCode: number;
}

export interface NetworkEnvironment {
  readonly now: Micros;
  schedule(at: Micros, event: DeliveryEvent): void;
  readonly trace: Trace;
}

/**
 * The simulated network between nodes: one directed link per ordered pair, each with its own
 * settings. Reordering follows from independent latencies; `reorderPpm` forces more of it.
 *
 * Partition rule: a link's state is checked when a message is sent and again when it arrives.
 * In `drop` mode a message that meets a cut either time is lost (a packet on a dead cable). In
 * `hold` mode it waits in its link's queue and is sent afresh, in order, when the link heals
 * (a TCP connection that retransmits after the partition).
 */
export class Network {
  readonly counters: NetworkCounters = emptyCounters();
  private readonly links: LinkSettings[];
  private readonly cut: Uint8Array;
  private readonly held: Message[][];
  private readonly partitions = new Map<number, Uint8Array>();
  private nextPartitionId = 1;
  /** Messages scheduled for arrival and not arrived yet (on the event queue). */
  private inFlight = 0;
  /** Messages waiting in hold-mode link queues now. */
  private heldNow = 0;
  /** Delivery events already handled, reused so a message in flight costs no new allocation. */
  private readonly spareDeliveries: DeliveryEvent[] = [];

  constructor(
    readonly nodeCount: number,
    defaults: LinkSettings,
    private readonly mode: PartitionMode,
    private readonly random: RandomStream,
    private readonly environment: NetworkEnvironment,
  ) {
    this.links = Array.from({ length: nodeCount * nodeCount }, () => ({ ...defaults }));
    this.cut = new Uint8Array(nodeCount * nodeCount);
    this.held = Array.from({ length: nodeCount * nodeCount }, () => []);
  }

  link(from: NodeId, to: NodeId): LinkSettings {
    return this.links[from * this.nodeCount + to] as LinkSettings;
  }

  isCut(from: NodeId, to: NodeId): boolean {
    return this.cut[from * this.nodeCount + to] === 1;
  }

  send(from: NodeId, to: NodeId, message: Message): void {
    const environment = this.environment;
    this.counters.sent++;
    const typeCode = environment.trace.message('send', environment.now, from, to, message, -1);
    if (this.isCut(from, to)) {
      this.blocked(from, to, message);
      return;
    }
    const link = this.link(from, to);
    if (link.lossPpm > 0 && this.random.chance(link.lossPpm, PPM)) {
      this.counters.droppedLoss++;
      environment.trace.record({ kind: 'drop', time: environment.now, from, to, message, reason: 'loss' });
      return;
    }
    this.launch(from, to, message, typeCode, link);
    if (link.duplicatePpm > 0 && this.random.chance(link.duplicatePpm, PPM)) {
      this.counters.duplicated++;
      environment.trace.message('duplicate', environment.now, from, to, message, typeCode);
      this.launch(from, to, message, typeCode, link);
    }
  }

  /**
   * A message reached the end of its link. Returns true when it should be handed to the node;
   * false when the link was cut meanwhile (it is then dropped or held, per the mode).
   */
  arrive(event: DeliveryEvent): boolean {
    this.inFlight--;
    if (!this.isCut(event.from, event.to)) return true;
    this.blocked(event.from, event.to, event.message);
    return false;
  }

  /** Counts a delivery the node accepted, or a drop because the node was down. */
  delivered(event: DeliveryEvent, accepted: boolean): void {
    const time = this.environment.now;
    if (accepted) {
      this.counters.delivered++;
      this.environment.trace.message('deliver', time, event.from, event.to, event.message, event.typeCode);
    } else {
      this.counters.droppedNodeDown++;
      this.environment.trace.record({ kind: 'drop', time, from: event.from, to: event.to, message: event.message, reason: 'node-down' });
    }
  }

  /**
   * Every message sent (or duplicated) is delivered, dropped, still in flight or held: anything
   * else is a bug in the network itself. Checked at the end of every run.
   */
  assertBalanced(): void {
    const counters = this.counters;
    const entered = counters.sent + counters.duplicated;
    const accounted = counters.delivered + droppedTotal(counters) + this.inFlight + this.heldNow;
    if (entered !== accounted) {
      internalFail(
        `message counters do not balance: sent ${counters.sent} + duplicated ${counters.duplicated} != delivered ${counters.delivered} + dropped ${droppedTotal(counters)} + in flight ${this.inFlight} + held ${this.heldNow}`,
      );
    }
  }

  /** Applies a partition on top of any already in force; returns its id for a later heal. */
  partition(shape: PartitionShape): number {
    const links = cutLinks(shape, this.nodeCount);
    const id = this.nextPartitionId++;
    this.partitions.set(id, links);
    this.recomputeCut();
    return id;
  }

  /** Heals one partition, or every partition when no id is given. */
  heal(id?: number): void {
    if (id === undefined) this.partitions.clear();
    else this.partitions.delete(id);
    this.recomputeCut();
    this.releaseHeld();
  }

  get activePartitions(): number {
    return this.partitions.size;
  }

  private recomputeCut(): void {
    this.cut.fill(0);
    for (const links of this.partitions.values()) {
      for (let i = 0; i < links.length; i++) if (links[i] === 1) this.cut[i] = 1;
    }
  }

  private blocked(from: NodeId, to: NodeId, message: Message): void {
    const queue = this.held[from * this.nodeCount + to] as Message[];
    if (this.mode === 'hold' && queue.length < HELD_PER_LINK_MAX) {
      this.counters.held++;
      this.heldNow++;
      queue.push(message);
      return;
    }
    this.counters.droppedPartition++;
    this.environment.trace.record({ kind: 'drop', time: this.environment.now, from, to, message, reason: 'partition' });
  }

  private releaseHeld(): void {
    for (let from = 0; from < this.nodeCount; from++) {
      for (let to = 0; to < this.nodeCount; to++) {
        const index = from * this.nodeCount + to;
        const queue = this.held[index] as Message[];
        if (queue.length === 0 || this.cut[index] === 1) continue;
        this.held[index] = [];
        this.heldNow -= queue.length;
        this.inFlight += queue.length;
        // Re-sent in order on a FIFO path: each leaves after the one before it.
        let at = this.environment.now;
        const link = this.links[index] as LinkSettings;
        for (const message of queue) {
          at = Math.max(at, this.environment.now + sampleLatency(link.latency, this.random) + link.extraDelay);
          this.environment.schedule(at, this.delivery(from, to, message, -1));
        }
      }
    }
  }

  private launch(from: NodeId, to: NodeId, message: Message, typeCode: number, link: LinkSettings): void {
    let delay = sampleLatency(link.latency, this.random) + link.extraDelay;
    if (link.reorderPpm > 0 && this.random.chance(link.reorderPpm, PPM)) {
      this.counters.reordered++;
      delay += link.reorderDelay;
    }
    if (delay < 0) internalFail(`negative latency ${delay} on n${from}->n${to}`);
    this.inFlight++;
    this.environment.schedule(this.environment.now + delay, this.delivery(from, to, message, typeCode));
  }

  private delivery(from: NodeId, to: NodeId, message: Message, typeCode: number): DeliveryEvent {
    const event = this.spareDeliveries.pop();
    if (event === undefined) return { kind: 'deliver', from, to, message, typeCode };
    event.from = from;
    event.to = to;
    event.message = message;
    event.typeCode = typeCode;
    return event;
  }

  /** Hands back a delivery event the world has finished with (it must hold no reference to it). */
  recycle(event: DeliveryEvent): void {
    this.spareDeliveries.push(event);
  }
}
