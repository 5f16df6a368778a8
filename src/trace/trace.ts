import type { EventType, Json } from '../history/operation.js';
import type { Message } from '../protocol/effects.js';
import { unreachable } from '../util/assert.js';
import type { TraceEvent } from './trace-event.js';
import { TraceHash } from './trace-hash.js';

/** How many events a hash checkpoint covers: replay compares checkpoints to localise a divergence. */
export const CHECKPOINT_INTERVAL = 1024; // a power of two: checked with a mask

const KIND_CODES: Record<TraceEvent['kind'], number> = {
  send: 1,
  deliver: 2,
  drop: 3,
  duplicate: 4,
  timer: 5,
  crash: 6,
  restart: 7,
  pause: 8,
  resume: 9,
  request: 10,
  response: 11,
  client: 12,
  fault: 13,
  phase: 14,
};

/**
 * The run's trace: every event folded into a running hash, with a checkpoint of the hash every
 * `CHECKPOINT_INTERVAL` events, and the events themselves kept only when asked (`--trace`).
 */
export class Trace {
  // What the hash covers: each event's kind, time, nodes, timer name and message type, and every
  // client operation's values. Message contents are left out to keep the hot path cheap: a
  // divergence in them changes what happens next (timing, order, or a value a client sees).
  readonly events: TraceEvent[] = [];
  readonly checkpoints: string[] = [];
  count = 0;
  private readonly hash = new TraceHash();
  private readonly stringCodes = new Map<string, number>();

  constructor(readonly keepEvents: boolean) {}

  record(event: TraceEvent): void {
    this.mixEvent(event);
    this.counted();
    if (this.keepEvents) this.events.push(event);
  }

  /**
   * The hot path for message events: hashes without allocating an event object unless events
   * are kept. Hashes the same fields as `record` would. Returns the code of the message's type,
   * which the caller may pass back as `typeCode` for the same message (−1: look it up), so the
   * send and the delivery of a message cost one lookup.
   */
  message(kind: 'send' | 'deliver' | 'duplicate', time: number, from: number, to: number, message: Message, typeCode: number): number {
    const code = typeCode >= 0 ? typeCode : this.messageTypeCode(message.type);
    // Comparisons, not a keyed lookup: `kind` is one of three literals.
    this.mixMessageHeader(kind === 'send' ? KIND_CODES.send : kind === 'deliver' ? KIND_CODES.deliver : KIND_CODES.duplicate, from, to, code);
    this.hash.mixInt(time);
    this.counted();
    if (this.keepEvents) this.events.push({ kind, time, from, to, message });
    return code;
  }

  /** Sends come in runs of one type (a broadcast, a burst of answers): the last code is kept. */
  private messageTypeCode(type: string): number {
    if (type === this.lastMessageType) return this.lastMessageTypeCode;
    const code = this.code(type);
    this.lastMessageType = type;
    this.lastMessageTypeCode = code;
    return code;
  }

  private lastMessageType: string | undefined = undefined;
  private lastMessageTypeCode = 0;

  /** The hot path for a client's request reaching a node (see `message`). */
  request(time: number, client: number, node: number, requestId: number, f: string): void {
    this.hash.mixInt(KIND_CODES.request);
    this.hash.mixInt(time);
    this.mixRequest(client, node, requestId);
    this.counted();
    if (this.keepEvents) this.events.push({ kind: 'request', time, client, node, requestId, f });
  }

  /** The hot path for a node's response reaching its client (see `message`). */
  response(time: number, client: number, node: number, requestId: number, status: string): void {
    this.hash.mixInt(KIND_CODES.response);
    this.hash.mixInt(time);
    this.mixRequest(client, node, requestId);
    this.hash.mixInt(this.code(status));
    this.counted();
    if (this.keepEvents) this.events.push({ kind: 'response', time, client, node, requestId, status });
  }

  /** The hot path for a client's history event (see `message`). */
  client(time: number, process: number, type: EventType, f: string, key: string | undefined, value: Json): void {
    this.hash.mixInt(KIND_CODES.client);
    this.hash.mixInt(time);
    this.mixClient(process, type, f, key, value);
    this.counted();
    if (this.keepEvents) this.events.push({ kind: 'client', time, process, type, f, key, value });
  }

  /**
   * A message event's kind, nodes and type. Packed into one word where they fit (they nearly
   * always do): two message events per message make this the trace's hottest path.
   */
  private mixMessageHeader(kindCode: number, from: number, to: number, typeCode: number): void {
    if (from < 256 && to < 256 && typeCode < 2048) {
      this.hash.mixInt(kindCode | (from << 4) | (to << 12) | (typeCode << 20));
      return;
    }
    this.hash.mixInt(-kindCode); // never a packed word (those are non-negative)
    this.hash.mixInt(from);
    this.hash.mixInt(to);
    this.hash.mixInt(typeCode);
  }

  private mixRequest(client: number, node: number, requestId: number): void {
    this.hash.mixInt(client);
    this.hash.mixInt(node);
    this.hash.mixInt(requestId);
  }

  private mixClient(process: number, type: EventType, f: string, key: string | undefined, value: Json): void {
    const hash = this.hash;
    hash.mixInt(process);
    hash.mixInt(this.code(type));
    hash.mixInt(this.code(f));
    hash.mixString(key ?? '');
    // The value's JSON text, mixed without building it where it can be.
    hash.mixJson(value);
  }

  /** The hot path for timer events (see `message`). */
  timer(time: number, node: number, name: string): void {
    const hash = this.hash;
    hash.mixInt(KIND_CODES.timer);
    hash.mixInt(time);
    hash.mixInt(node);
    hash.mixInt(this.code(name));
    this.counted();
    if (this.keepEvents) this.events.push({ kind: 'timer', time, node, name });
  }

  private counted(): void {
    this.count++;
    if ((this.count & (CHECKPOINT_INTERVAL - 1)) === 0) this.checkpoints.push(this.hash.hex());
  }

  hashHex(): string {
    return this.hash.hex();
  }

  private mixEvent(event: TraceEvent): void {
    const hash = this.hash;
    if (event.kind === 'send' || event.kind === 'deliver' || event.kind === 'duplicate') {
      // As `message` mixes them.
      this.mixMessageHeader(KIND_CODES[event.kind], event.from, event.to, this.code(event.message.type));
      hash.mixInt(event.time);
      return;
    }
    hash.mixInt(KIND_CODES[event.kind]);
    hash.mixInt(event.time);
    switch (event.kind) {
      case 'drop':
        hash.mixInt(event.from);
        hash.mixInt(event.to);
        hash.mixInt(this.code(event.reason));
        hash.mixInt(this.code(event.message.type));
        return;
      case 'timer':
        hash.mixInt(event.node);
        hash.mixInt(this.code(event.name));
        return;
      case 'crash':
        hash.mixInt(event.node);
        hash.mixInt(event.lostWrites);
        return;
      case 'restart':
      case 'pause':
        hash.mixInt(event.node);
        return;
      case 'resume':
        hash.mixInt(event.node);
        hash.mixInt(event.queued);
        return;
      case 'request':
        this.mixRequest(event.client, event.node, event.requestId);
        return;
      case 'response':
        this.mixRequest(event.client, event.node, event.requestId);
        hash.mixInt(this.code(event.status));
        return;
      case 'client':
        this.mixClient(event.process, event.type, event.f, event.key, event.value);
        return;
      case 'fault':
        hash.mixInt(this.code(event.phase));
        hash.mixString(event.description);
        return;
      case 'phase':
        hash.mixString(event.name);
        return;
      default:
        unreachable(event, 'trace event');
    }
  }

  /**
   * A small integer per distinct string, assigned in first-seen order: deterministic because
   * the order of first sightings is itself part of the deterministic run.
   */
  private code(value: string): number {
    let code = this.stringCodes.get(value);
    if (code === undefined) {
      code = this.stringCodes.size + 1;
      this.stringCodes.set(value, code);
      this.hash.mixString(value);
    }
    return code;
  }
}
