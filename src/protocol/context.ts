import type { Json } from '../history/operation.js';
import type { RandomStream } from '../random/random-stream.js';
import type { Micros } from '../sim/time.js';
import { assert, fail } from '../util/assert.js';
import type { ClientResponse } from './client-types.js';
import type { Effect, Message, NodeId } from './effects.js';
import type { NodeContext } from './protocol.js';

/**
 * A `NodeContext` that only collects effects. The node host and the transcript test driver both
 * use it; the caller drains `effects` after each handler call and applies them.
 */
export class EffectCollector<M extends Message = Message> implements NodeContext<M> {
  effects: Effect<M>[] = [];
  now: Micros = 0;

  constructor(
    readonly id: NodeId,
    readonly nodes: readonly NodeId[],
    readonly random: RandomStream,
  ) {}

  send(to: NodeId, message: M): void {
    if (to === this.id) fail(`node ${this.id} sends to itself`);
    this.effects.push({ kind: 'send', to, message });
  }

  setTimer(name: string, delay: Micros): void {
    if (!(Number.isInteger(delay) && delay >= 0)) fail(`timer ${name} delay must be a non-negative integer, got ${delay}`);
    this.effects.push({ kind: 'setTimer', name, delay });
  }

  cancelTimer(name: string): void {
    this.effects.push({ kind: 'cancelTimer', name });
  }

  persist(key: string, value: Json | undefined): void {
    this.effects.push({ kind: 'persist', key, value });
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
