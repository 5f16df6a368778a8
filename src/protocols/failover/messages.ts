import type { ClientResponse } from '../../protocol/client-types.js';
import type { NodeId } from '../../protocol/effects.js';
import type { KvOperation } from '../kv/index.js';

/**
 * Messages of heartbeat failover. Epochs are issued by the failover manager, one per promotion,
 * and persisted before anyone hears of them; the storage node fences on them.
 */
export type FailoverMessage =
  /** Server → manager, every heartbeatMs: I am alive (and this is the epoch I know). */
  | { type: 'heartbeat'; epoch: number }
  /** Manager → server: the current epoch and its primary (answer to a heartbeat, and at every failover). */
  | { type: 'view'; epoch: number; primary: NodeId }
  /** New primary → storage: reject every operation of an older epoch from now on. */
  | { type: 'fence'; epoch: number }
  /** Storage → primary: the fence is durable (or `epoch` is newer than the one asked: you are deposed). */
  | { type: 'fenced'; epoch: number }
  /** Primary → storage: one client operation, tagged with the primary's epoch. */
  | { type: 'op'; id: number; epoch: number; clientId: number; sequence: number; operation: KvOperation }
  /**
   * Storage → primary: the operation's response, with the write's position in the storage's
   * order (0 for a read); or `stale` with the storage's epoch when the operation was fenced off.
   */
  | { type: 'result'; id: number; stale: false; response: ClientResponse; index: number }
  | { type: 'result'; id: number; stale: true; epoch: number };

export function renderFailoverMessage(message: FailoverMessage): string {
  switch (message.type) {
    case 'heartbeat':
      return `heartbeat e${message.epoch}`;
    case 'view':
      return `view e${message.epoch} primary n${message.primary}`;
    case 'fence':
      return `fence e${message.epoch}`;
    case 'fenced':
      return `fenced e${message.epoch}`;
    case 'op':
      return `op #${message.id} e${message.epoch} ${message.operation.f} ${message.operation.key} ${JSON.stringify(message.operation.value)}`;
    case 'result':
      return message.stale ? `result #${message.id} stale (storage at e${message.epoch})` : `result #${message.id} ${message.response.status}${message.index > 0 ? ` @${message.index}` : ''}`;
  }
}
