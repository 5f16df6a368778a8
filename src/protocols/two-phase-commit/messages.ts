/** One account's change inside a transaction. */
export type Write = { account: string; delta: number };

export type Decision = 'commit' | 'abort';

/**
 * Messages of two-phase commit. Transaction ids are unique across coordinator restarts (the
 * coordinator persists an epoch and counts within it).
 */
export type TpcMessage =
  /** Coordinator → participant: lock these accounts, log the writes, and vote. `read` asks for balances. */
  | { type: 'prepare'; txn: number; writes: Write[]; read: boolean }
  /** Participant → coordinator: yes (prepared, durable) or no; a yes to a read carries the balances. */
  | { type: 'vote'; txn: number; yes: boolean; balances: Record<string, number> | null }
  /** Coordinator → participant: the outcome (sent after the decision is durable). */
  | { type: 'decision'; txn: number; decision: Decision }
  /** Participant → coordinator: the decision is applied and durable. */
  | { type: 'ack'; txn: number }
  /** A participant in doubt (prepared, no decision) asks the coordinator. */
  | { type: 'status'; txn: number };

export function renderTpcMessage(message: TpcMessage): string {
  switch (message.type) {
    case 'prepare':
      return `prepare t${message.txn}${message.read ? ' read' : ''} [${message.writes.map((w) => `${w.account}${w.delta >= 0 ? '+' : ''}${w.delta}`).join(' ')}]`;
    case 'vote':
      return `vote t${message.txn} ${message.yes ? 'yes' : 'no'}`;
    case 'decision':
      return `decision t${message.txn} ${message.decision}`;
    case 'ack':
      return `ack t${message.txn}`;
    case 'status':
      return `status t${message.txn}`;
  }
}
