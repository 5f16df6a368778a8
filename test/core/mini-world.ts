import { millis } from '../../src/sim/time.js';
import { EventQueue } from '../../src/sim/event-queue.js';
import { Network, type DeliveryEvent } from '../../src/network/network.js';
import type { LinkSettings, PartitionMode } from '../../src/network/link.js';
import { MarkCounts } from '../../src/node/mark-counts.js';
import { NodeHost, type SyncEvent, type TimerEvent } from '../../src/node/host.js';
import type { Message, NodeId } from '../../src/protocol/effects.js';
import { RandomStream } from '../../src/random/random-stream.js';
import type { TraceEvent } from '../../src/trace/trace-event.js';
import { Trace } from '../../src/trace/trace.js';
import { renderTraceEvent } from '../../src/trace/render.js';
import { recorderProtocol, type RecorderMessage, type RecorderState } from '../fixtures/protocols/recorder.js';

type Event = DeliveryEvent | TimerEvent | SyncEvent | { kind: 'call'; run: () => void };

/**
 * A small world for pinning network and host semantics: the real Network and NodeHost, the
 * recorder protocol, and a loop, without clients, nemesis or checkers.
 */
export class MiniWorld {
  now = 0;
  readonly queue = new EventQueue<Event>();
  readonly trace = new Trace(true);
  readonly network: Network;
  readonly hosts: NodeHost[];

  constructor(options: { nodes: number; link?: Partial<LinkSettings>; mode?: PartitionMode; syncDelay?: number; seed?: string }) {
    const link: LinkSettings = { latency: { kind: 'constant', value: millis(1) }, lossPpm: 0, duplicatePpm: 0, reorderPpm: 0, reorderDelay: 0, extraDelay: 0, ...options.link };
    const random = new RandomStream(options.seed ?? 'mini');
    this.network = new Network(options.nodes, link, options.mode ?? 'drop', random.fork('network'), this);
    const nodes = [...Array(options.nodes).keys()];
    this.hosts = nodes.map(
      (id) => new NodeHost({ id, nodes, protocol: recorderProtocol, protocolOptions: {}, random: random.fork(`node/${id}`), syncDelay: options.syncDelay ?? 0, marks: new MarkCounts() }, this),
    );
    for (const host of this.hosts) host.start();
  }

  state(node: NodeId): RecorderState {
    return this.hosts[node]!.state as RecorderState;
  }

  schedule(at: number, event: Event): number {
    return this.queue.push(at, event);
  }

  reserveSequence(): number {
    return this.queue.reserveSequence();
  }

  scheduleReserved(at: number, sequence: number, event: TimerEvent): void {
    this.queue.pushReserved(at, sequence, event);
  }

  send(from: NodeId, to: NodeId, message: Message): void {
    this.network.send(from, to, message);
  }

  reply(): void {}

  /** Delivers a message to `to` as if `from` had sent it over the network. */
  inject(from: NodeId, to: NodeId, message: RecorderMessage): void {
    this.network.send(from, to, message);
  }

  at(time: number, run: () => void): void {
    this.queue.push(time, { kind: 'call', run });
  }

  runUntil(time: number): void {
    while (this.queue.size > 0 && this.queue.peekTime() <= time) {
      const event = this.queue.pop();
      this.now = this.queue.poppedTime;
      switch (event.kind) {
        case 'call':
          event.run();
          break;
        case 'deliver': {
          if (!this.network.arrive(event)) break;
          const host = this.hosts[event.to]!;
          this.network.delivered(event, host.status !== 'down');
          if (host.status !== 'down') host.handle({ kind: 'message', from: event.from, message: event.message });
          break;
        }
        case 'timer':
          this.hosts[event.node]!.fireTimer(event);
          break;
        case 'sync':
          this.hosts[event.node]!.completeSync(event);
          break;
      }
    }
    this.now = Math.max(this.now, time);
  }

  traceText(kind?: TraceEvent['kind']): string[] {
    return this.trace.events.filter((event) => kind === undefined || event.kind === kind).map((event) => renderTraceEvent(event, (m) => recorderProtocol.renderMessage(m as RecorderMessage)));
  }
}
