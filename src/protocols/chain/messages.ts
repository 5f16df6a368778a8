import type { Json } from '../../history/operation.js';
import type { NodeId } from '../../protocol/effects.js';
import type { KvCommand } from '../kv/index.js';

/** One update as it flows down the chain: the head's sequence number and the client's command. */
export type Update = { seq: number; command: KvCommand };

/** A chain configuration: the members from head to tail, and the version at which each was (last) added. */
export type ChainConfig = { version: number; chain: NodeId[]; since: Record<string, number> };

/**
 * Messages of chain replication (van Renesse & Schneider, OSDI 2004). Updates flow from the head
 * to the tail; acknowledgements (cumulative: every update up to `seq` reached the tail) flow back.
 */
export type ChainMessage =
  /** Replica → master, every heartbeatMs: alive; the version it knows and the one it joined at (0: restarted, state lost). */
  | { type: 'heartbeat'; version: number; joined: number; sentAt: number }
  /** Master → replica: the current configuration (on every change, and as the heartbeat's answer, echoing its sentAt). */
  | { type: 'config'; config: ChainConfig; echo: number | null }
  /**
   * Predecessor → successor: apply this update (in seq order; a gap waits for a resend). Every
   * message between replicas carries the configuration version it was sent under: one sent
   * before the sender or the receiver (re)joined belongs to an older incarnation and is ignored.
   */
  | { type: 'update'; version: number; seq: number; command: KvCommand }
  /** Successor → predecessor: every update up to seq has reached the tail. */
  | { type: 'ack'; version: number; seq: number }
  /** A member without state (just added at the tail) → its predecessor: send me your state. */
  | { type: 'fetch'; version: number }
  /** Old tail → node added at the tail: the whole state, as of update `seq`. */
  | { type: 'state'; version: number; seq: number; hash: number; store: Json };

export function renderChainMessage(message: ChainMessage): string {
  switch (message.type) {
    case 'heartbeat':
      return `heartbeat v${message.version} joined v${message.joined}`;
    case 'config':
      return `config v${message.config.version} [${message.config.chain.map((node) => `n${node}`).join(' ')}]`;
    case 'update':
      return `update #${message.seq} ${message.command.operation.f} ${message.command.operation.key} ${JSON.stringify(message.command.operation.value)}`;
    case 'ack':
      return `ack #${message.seq}`;
    case 'fetch':
      return `fetch v${message.version}`;
    case 'state':
      return `state through #${message.seq}`;
  }
}
