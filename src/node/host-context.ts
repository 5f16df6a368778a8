import type { Json } from '../history/operation.js';
import type { ClientResponse } from '../protocol/client-types.js';
import type { DeclaredNames } from '../protocol/declared-names.js';
import type { Message, NodeId } from '../protocol/effects.js';
import type { NodeContext } from '../protocol/protocol.js';
import type { RandomStream } from '../random/random-stream.js';
import type { Micros } from '../sim/time.js';
import { fail } from '../util/assert.js';
import { freezeHandedOver } from '../protocol/hand-over.js';
import type { MarkCounts } from './mark-counts.js';

/** What a host does with each effect, in the order the protocol asks for them. */
export interface EffectSink {
  send(to: NodeId, message: Message): void;
  armTimer(name: string, delay: Micros): void;
  disarmTimer(name: string): void;
  persist(key: string, value: Json | undefined): void;
  reply(requestId: number, response: ClientResponse): void;
}

/** What the context checks effects against, and where marks are counted. */
export interface ContextRules {
  protocol: string;
  declared: DeclaredNames;
  marks: MarkCounts;
  /** Freeze sent messages and persisted values deeply, or hand them over as they are (src/protocol/hand-over.ts). */
  deepFreeze: boolean;
  /** Told of each mark after it is counted. */
  onMark?: (name: string) => void;
}

/**
 * The context a host hands its protocol. Each effect goes straight to the host as it is asked
 * for, in order, instead of through a buffer: nothing else runs during a step, so applying an
 * effect now or at the end of the step is the same event for event (same trace, same hash), and
 * the hot path allocates nothing. The protocol cannot tell: it sees only `NodeContext`.
 * (`EffectCollector` is the buffered version, for drivers that inspect effects.)
 */
export class HostContext implements NodeContext {
  now: Micros = 0;
  /** Sends come in runs of one type (a heartbeat round): check a type once per run. */
  private lastCheckedType = '';

  constructor(
    readonly id: NodeId,
    readonly nodes: readonly NodeId[],
    readonly random: RandomStream,
    private readonly sink: EffectSink,
    private readonly rules: ContextRules,
  ) {}

  send(to: NodeId, message: Message): void {
    if (to === this.id) fail(`node ${this.id} sends to itself`);
    if (message.type !== this.lastCheckedType) {
      if (!this.rules.declared.isMessageType(message.type)) {
        fail(`${this.rules.protocol} node ${this.id} sent undeclared message type ${JSON.stringify(message.type)}; declared: ${this.rules.declared.messageTypes.join(', ')}`);
      }
      this.lastCheckedType = message.type;
    }
    this.sink.send(to, this.rules.deepFreeze ? freezeHandedOver(message) : message);
  }

  setTimer(name: string, delay: Micros): void {
    if (!(Number.isInteger(delay) && delay >= 0)) fail(`timer ${name} delay must be a non-negative integer, got ${delay}`);
    this.checkTimer(name);
    this.sink.armTimer(name, delay);
  }

  cancelTimer(name: string): void {
    this.checkTimer(name);
    this.sink.disarmTimer(name);
  }

  persist(key: string, value: Json | undefined): void {
    this.sink.persist(key, this.rules.deepFreeze ? freezeHandedOver(value) : value);
  }

  reply(requestId: number, response: ClientResponse): void {
    this.sink.reply(requestId, response);
  }

  mark(name: string): void {
    if (!this.rules.declared.isMark(name)) {
      fail(`${this.rules.protocol} node ${this.id} reached undeclared mark ${JSON.stringify(name)}; declared: ${this.rules.declared.markNames.join(', ') || '(none)'}`);
    }
    this.rules.marks.hit(name);
    this.rules.onMark?.(name);
  }

  private checkTimer(name: string): void {
    if (!this.rules.declared.isTimer(name)) {
      fail(`${this.rules.protocol} node ${this.id} used undeclared timer ${JSON.stringify(name)}; declared: ${this.rules.declared.timerNames.join(', ')}`);
    }
  }
}
