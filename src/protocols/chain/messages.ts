import type { Json } from '../../history/operation.js';
import type { NodeId } from '../../protocol/effects.js';
import type { KvCommand } from '../kv/index.js';
import { renderRaftMessage, type RaftMessage } from '../raft/index.js';

/** One update as it flows down the chain: the head's sequence number and the client's command. */
export type Update = { seq: number; command: KvCommand };

/**
 * A chain configuration: the members from head to tail, the version at which each was (last)
 * added, and `tailFrom`, the version since which the tail has been the tail (a new tail, or the
 * same node re-added, starts a new one; the tail's read lease belongs to it).
 */
export type ChainConfig = { version: number; chain: NodeId[]; since: Record<string, number>; tailFrom: number };

/**
 * Messages of chain replication (van Renesse & Schneider, OSDI 2004). Updates flow from the head
 * to the tail; acknowledgements (cumulative: every update up to `seq` reached the tail) flow back.
 * The master nodes also exchange Raft's own messages, unchanged.
 */
export type ChainMessage =
  | RaftMessage
  /** Replica → every master node, every heartbeatMs: alive; the version it knows and the one it joined at (0: restarted, state lost). */
  | { type: 'replica-heartbeat'; version: number; joined: number; sentAt: number }
  /**
   * Master leader → replica: an applied configuration (on every change, and to a replica that
   * reported an older one), or (`read`) the one a Raft read returned after the replica's
   * heartbeat arrived: to the tail, echoing its sentAt when it may start a read lease from it,
   * and to a restarted replica, which takes only such a configuration as its first.
   */
  | { type: 'config'; config: ChainConfig; read: boolean; echo: number | null }
  /**
   * Predecessor → successor: apply this update (in seq order; a gap waits for a resend). Every
   * message between replicas carries the configuration version it was sent under: one sent
   * before the sender or the receiver (re)joined belongs to an older incarnation and is ignored.
   */
  | { type: 'update'; version: number; seq: number; command: KvCommand }
  /** Successor → predecessor: every update up to seq has reached the tail. */
  | { type: 'ack'; version: number; seq: number }
  /** A member without state (just added at the tail, or restarted) → its predecessor: send me your state (`nonce` names this incarnation). */
  | { type: 'fetch'; version: number; nonce: number }
  /** Predecessor → a member without state: the whole state, as of update `seq` (answering a fetch: its nonce; pushed: null). */
  | { type: 'state'; version: number; seq: number; hash: number; store: Json; nonce: number | null };

export type ChainServiceMessage = Exclude<ChainMessage, RaftMessage>;

const SERVICE_TYPES: ReadonlySet<string> = new Set(['replica-heartbeat', 'config', 'update', 'ack', 'fetch', 'state']);

export function isRaftMessage(message: ChainMessage): message is RaftMessage {
  return !SERVICE_TYPES.has(message.type);
}

export function renderChainMessage(message: ChainMessage): string {
  switch (message.type) {
    case 'replica-heartbeat':
      return `replica-heartbeat v${message.version} joined v${message.joined}`;
    case 'config':
      return `config v${message.config.version} [${message.config.chain.map((node) => `n${node}`).join(' ')}]${message.echo !== null ? ' lease' : message.read ? ' read' : ''}`;
    case 'update':
      return `update #${message.seq} ${message.command.operation.f} ${message.command.operation.key} ${JSON.stringify(message.command.operation.value)}`;
    case 'ack':
      return `ack #${message.seq}`;
    case 'fetch':
      return `fetch v${message.version}`;
    case 'state':
      return `state through #${message.seq}`;
    default:
      return renderRaftMessage(message);
  }
}
