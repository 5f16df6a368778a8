import type { Json } from '../history/operation.js';
import type { RandomStream } from '../random/random-stream.js';
import type { Micros } from '../sim/time.js';
import { fail } from '../util/assert.js';
import type { ClientResponse } from './client-types.js';
import type { Effect, Message, NodeId } from './effects.js';
import type { DeclaredNames } from './declared-names.js';
import type { NodeContext } from './protocol.js';
import { freezeHandedOver } from './hand-over.js';

/**
 * A `NodeContext` that only collects effects. The node host and the transcript test driver both
 * use it; the caller drains `effects` after each handler call and applies them.
 */
export class EffectCollector<M extends Message = Message> implements NodeContext<M> {
  effects: Effect<M>[] = [];
  /** Marks reached since the last drain, in order. */
  marks: string[] = [];
  now: Micros = 0;

  /** With `declared`, checks names as the simulator's host does. */
  constructor(
    readonly id: NodeId,
    readonly nodes: readonly NodeId[],
    readonly random: RandomStream,
    private readonly declared?: DeclaredNames,
  ) {}

  send(to: NodeId, message: M): void {
    if (to === this.id) fail(`node ${this.id} sends to itself`);
    if (this.declared !== undefined && !this.declared.isMessageType(message.type)) fail(`node ${this.id} sent undeclared message type ${JSON.stringify(message.type)}`);
    this.effects.push({ kind: 'send', to, message: freezeHandedOver(message) });
  }

  setTimer(name: string, delay: Micros): void {
    if (!(Number.isInteger(delay) && delay >= 0)) fail(`timer ${name} delay must be a non-negative integer, got ${delay}`);
    this.checkTimer(name);
    this.effects.push({ kind: 'setTimer', name, delay });
  }

  cancelTimer(name: string): void {
    this.checkTimer(name);
    this.effects.push({ kind: 'cancelTimer', name });
  }

  mark(name: string): void {
    if (this.declared !== undefined && !this.declared.isMark(name)) fail(`node ${this.id} reached undeclared mark ${JSON.stringify(name)}`);
    this.marks.push(name);
  }

  private checkTimer(name: string): void {
    if (this.declared !== undefined && !this.declared.isTimer(name)) fail(`node ${this.id} used undeclared timer ${JSON.stringify(name)}`);
  }

  persist(key: string, value: Json | undefined): void {
    this.effects.push({ kind: 'persist', key, value: freezeHandedOver(value) });
  }

  reply(requestId: number, response: ClientResponse): void {
    this.effects.push({ kind: 'reply', requestId, response });
  }

  /** Hands over the collected effects and starts a fresh batch. */
  drain(): Effect<M>[] {
    const out = this.effects;
    this.effects = [];
    return out;
  }
}
