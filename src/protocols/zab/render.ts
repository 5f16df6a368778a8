import { unreachable } from '../../util/assert.js';
import type { Txn, ZabMessage } from './messages.js';
import type { ZabState } from './state.js';
import { renderZxid } from './zxid.js';

export function renderTxn(txn: Txn): string {
  const op = txn.command.operation;
  return `${renderZxid(txn.zxid)}:${op.f} ${op.key}${op.value === null ? '' : ` ${JSON.stringify(op.value)}`} (c${txn.command.clientId}#${txn.command.sequence})`;
}

function txns(list: readonly Txn[]): string {
  return `[${list.map((txn) => renderZxid(txn.zxid)).join(' ')}]`;
}

/** One stable line per message, for traces and transcripts. */
export function renderZabMessage(message: ZabMessage): string {
  switch (message.type) {
    case 'notification':
      return `notification round ${message.round} ${message.state} vote ${message.vote.leader} (epoch ${message.vote.peerEpoch}, ${renderZxid(message.vote.zxid)})`;
    case 'followerinfo':
      return `followerinfo acceptedEpoch ${message.acceptedEpoch}`;
    case 'leaderinfo':
      return `leaderinfo epoch ${message.epoch}`;
    case 'ackepoch':
      return `ackepoch epoch ${message.epoch} currentEpoch ${message.currentEpoch} last ${renderZxid(message.lastZxid)}${message.counted ? '' : ' (not counted)'}`;
    case 'diff':
      return `diff epoch ${message.epoch} after ${renderZxid(message.base)} ${txns(message.txns)}`;
    case 'trunc':
      return `trunc epoch ${message.epoch} to ${renderZxid(message.truncZxid)} then ${txns(message.txns)}`;
    case 'snap':
      return `snap epoch ${message.epoch} snapshot ${renderZxid(message.snapshot.zxid)} then ${txns(message.txns)}`;
    case 'newleader':
      return `newleader epoch ${message.epoch} at ${renderZxid(message.zxid)}`;
    case 'ack-newleader':
      return `ack-newleader epoch ${message.epoch} at ${renderZxid(message.zxid)}`;
    case 'uptodate':
      return `uptodate epoch ${message.epoch} commit ${renderZxid(message.commitZxid)}`;
    case 'proposal':
      return `proposal ${renderTxn(message.txn)} after ${renderZxid(message.prev)}`;
    case 'ack':
      return `ack ${renderZxid(message.zxid)}`;
    case 'commit':
      return `commit ${renderZxid(message.zxid)}`;
    case 'ping':
      return `ping epoch ${message.epoch} commit ${renderZxid(message.commitZxid)}`;
    case 'forward':
      return `forward c${message.clientId}#${message.sequence} ${message.operation.f} ${message.operation.key ?? ''}`;
    default:
      return unreachable(message, 'zab message');
  }
}

/** A short state summary for transcripts. */
export function renderZabState(state: ZabState): string {
  const history = state.history;
  return `${state.role}/${state.phase} accepted ${state.acceptedEpoch} current ${state.currentEpoch} last ${renderZxid(history.lastZxid)} commit ${renderZxid(state.commitZxid)} snapshot ${renderZxid(history.snapshotZxid)} ${txns(history.txns)}`;
}
