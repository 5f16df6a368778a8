import type { Json } from '../history/operation.js';
import type { Micros } from '../sim/time.js';
import type { ClientResponse } from './client-types.js';

export type NodeId = number;

/** Every message a protocol sends is a plain object tagged by `type`. */
export interface Message {
  readonly type: string;
}

/**
 * What a protocol handler asks of the world. Handlers never perform I/O: they push effects, and
 * the node host applies them in order after the handler returns.
 *
 * Ordering rule (etcd/raft's): a `send` or `reply` that follows a `persist` in the same batch is
 * released only once that write is durable.
 */
export type Effect<M extends Message = Message> =
  | { kind: 'send'; to: NodeId; message: M }
  | { kind: 'setTimer'; name: string; delay: Micros }
  | { kind: 'cancelTimer'; name: string }
  | { kind: 'persist'; key: string; value: Json | undefined }
  | { kind: 'reply'; requestId: number; response: ClientResponse };
