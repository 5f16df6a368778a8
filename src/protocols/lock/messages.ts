import type { Json } from '../../history/operation.js';
import type { ClientResponse } from '../../protocol/client-types.js';
import type { NodeId } from '../../protocol/effects.js';
import type { RaftMessage } from '../raft/index.js';
import { renderRaftMessage } from '../raft/index.js';

/** How a lock client touches the resource: a plain read, or a read or write inside a critical section. */
export type AccessKind = 'read' | 'locked-read' | 'write';

/** A lock-service command as a lock client hands it to Raft: a `locks` command or a read of the table. */
export interface TableOperation {
  f: 'locks' | 'read';
  key: string;
  value: Json;
}

/**
 * Messages of the lock service: Raft's own between the lock servers, and the lock service's
 * between lock clients, servers and the resource.
 */
export type LockMessage =
  | RaftMessage
  /** Client → server: one lock-service command (a Raft client request; retried with the same sequence). */
  | { type: 'lock-request'; id: number; clientId: number; sequence: number; operation: TableOperation }
  /** Server → client: Raft's answer to it (ok, fail, redirect, unknown). */
  | { type: 'lock-reply'; id: number; response: ClientResponse }
  /** Client → leader: my session is alive (`sentAt`: the client's clock, echoed back). */
  | { type: 'keepalive'; session: number; sentAt: number }
  /** Leader → client: the session is alive (the lease runs from `sentAt`), expired, or ask the leader. */
  | { type: 'keepalive-reply'; session: number; sentAt: number; status: 'alive' | 'expired' | 'not-leader'; leaderHint: NodeId | null }
  /** Client → leader: tell me when entry `seq` of `lock` (my predecessor) is gone. */
  | { type: 'watch'; lock: string; seq: number }
  /** Leader → client: entry `seq` of `lock` is gone. */
  | { type: 'watch-fired'; lock: string; seq: number }
  /** Client → resource: a read or write, with the fencing token of the client's grant (0 for a plain read). */
  | { type: 'access'; id: number; key: string; kind: AccessKind; token: number; value: number }
  /** Resource → client: done (the value read or written), or refused: a newer token was seen. */
  | { type: 'access-result'; id: number; ok: true; value: number }
  | { type: 'access-result'; id: number; ok: false; highest: number };

export type LockServiceMessage = Exclude<LockMessage, RaftMessage>;

export function isRaftMessage(message: LockMessage): message is RaftMessage {
  return !SERVICE_TYPES.has(message.type);
}

const SERVICE_TYPES: ReadonlySet<string> = new Set(['lock-request', 'lock-reply', 'keepalive', 'keepalive-reply', 'watch', 'watch-fired', 'access', 'access-result']);

export function renderLockMessage(message: LockMessage): string {
  switch (message.type) {
    case 'lock-request':
      return `lock-request #${message.id} c${message.clientId}.${message.sequence} ${message.operation.f} ${JSON.stringify(message.operation.value)}`;
    case 'lock-reply':
      return `lock-reply #${message.id} ${message.response.status}${message.response.status === 'ok' ? ` ${JSON.stringify(message.response.value)}` : ''}`;
    case 'keepalive':
      return `keepalive s${message.session}`;
    case 'keepalive-reply':
      return `keepalive-reply s${message.session} ${message.status}`;
    case 'watch':
      return `watch ${message.lock}#${message.seq}`;
    case 'watch-fired':
      return `watch-fired ${message.lock}#${message.seq}`;
    case 'access':
      return `access #${message.id} ${message.kind} ${message.key} token ${message.token}${message.kind === 'write' ? ` = ${message.value}` : ''}`;
    case 'access-result':
      return message.ok ? `access-result #${message.id} ok ${message.value}` : `access-result #${message.id} stale (seen token ${message.highest})`;
    default:
      return renderRaftMessage(message);
  }
}
