import type { Json } from '../../history/operation.js';
import { unreachable } from '../../util/assert.js';
import type { LogEntry, RaftMessage } from './messages.js';
import type { RaftState } from './state.js';

/** One stable line per message, for traces and transcripts. */
export function renderRaftMessage(message: RaftMessage): string {
  switch (message.type) {
    case 'vote':
    case 'pre-vote':
      return `${message.type} term=${message.term} last=${message.lastLogIndex}@${message.lastLogTerm}`;
    case 'vote-response':
    case 'pre-vote-response':
      return `${message.type} term=${message.term} ${message.granted ? 'granted' : 'refused'}`;
    case 'append':
      return (
        `append term=${message.term} previous=${message.previousIndex}@${message.previousTerm} ` +
        `commit=${message.commitIndex} entries=[${message.entries.map(renderEntry).join(', ')}]`
      );
    case 'append-response':
      return message.success
        ? `append-response term=${message.term} match=${message.matchIndex}`
        : `append-response term=${message.term} rejected=${message.rejectedIndex} hint=${message.hintIndex}@${message.hintTerm}`;
    case 'heartbeat':
      return `heartbeat term=${message.term} commit=${message.commitIndex} round=${message.round}`;
    case 'heartbeat-response':
      return `heartbeat-response term=${message.term} round=${message.round}`;
    case 'snapshot':
      return `snapshot term=${message.term} at=${message.snapshot.index}@${message.snapshot.term}`;
    case 'snapshot-response':
      return `snapshot-response term=${message.term} match=${message.matchIndex}`;
    case 'forward':
      return `forward term=${message.term} c${message.clientId}#${message.sequence} ${message.operation.f} ${message.operation.key} ${renderValue(message.operation.value)}`;
    default:
      return unreachable(message, 'raft message');
  }
}

/** `5@2 noop` or `6@2 c1#3 write x "v"`. */
export function renderEntry(entry: LogEntry): string {
  const command = entry.command;
  if (command.kind === 'noop') return `${entry.index}@${entry.term} noop`;
  const { f, key, value } = command.operation;
  return `${entry.index}@${entry.term} c${command.clientId}#${command.sequence} ${f} ${key} ${renderValue(value)}`;
}

export function renderValue(value: Json): string {
  return JSON.stringify(value);
}

/** One stable line describing a node, for transcripts and reports. */
export function renderRaftState(state: RaftState): string {
  const log = state.log;
  const parts = [
    state.role,
    `term=${state.currentTerm}`,
    `vote=${state.votedFor ?? '-'}`,
    `leader=${state.leaderId ?? '-'}`,
    `log=${log.snapshotIndex}..${log.lastIndex}@${log.lastTerm}`,
    `commit=${state.commitIndex}`,
    `applied=${state.lastApplied}`,
  ];
  if (state.health.kind === 'recovering') parts.push(`recovering-until=${state.health.untilIndex}`);
  if (state.health.kind === 'quarantined') parts.push(`quarantined (${state.health.reason})`);
  return parts.join(' ');
}
