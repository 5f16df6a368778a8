import { unreachable } from '../../util/assert.js';
import { renderBallot } from './ballot.js';
import type { PaxosMessage, Proposal, Value } from './messages.js';
import { chosenThrough, snapshotSlot, type PaxosState } from './state.js';

/** One stable line per message, for traces and transcripts. */
export function renderPaxosMessage(message: PaxosMessage): string {
  switch (message.type) {
    case 'prepare':
      return `prepare ballot=${renderBallot(message.ballot)} from=${message.from}`;
    case 'promise': {
      const accepted = message.accepted.map((proposal) => `${proposal.slot}@${renderBallot(proposal.ballot)} ${renderValue(proposal.value)}`);
      const snapshot = message.snapshot === null ? '' : ` snapshot=${message.snapshot.slot}`;
      return `promise ballot=${renderBallot(message.ballot)} accepted=[${accepted.join(', ')}]${snapshot}`;
    }
    case 'accept':
      return `accept ballot=${renderBallot(message.ballot)} chosen-through=${message.chosenThrough} [${message.proposals.map(renderProposal).join(', ')}]`;
    case 'accepted':
      return `accepted ballot=${renderBallot(message.ballot)} slots=[${message.slots.join(', ')}]`;
    case 'nack':
      return `nack ballot=${renderBallot(message.ballot)} promised=${renderBallot(message.promised)}`;
    case 'heartbeat':
      return `heartbeat ballot=${renderBallot(message.ballot)} chosen-through=${message.chosenThrough} round=${message.round}`;
    case 'heartbeat-response':
      return `heartbeat-response ballot=${renderBallot(message.ballot)} round=${message.round}`;
    case 'catch-up':
      return `catch-up from=${message.from}`;
    case 'catch-up-response': {
      const snapshot = message.snapshot === null ? '' : `snapshot=${message.snapshot.slot} `;
      return `catch-up-response ${snapshot}[${message.chosen.map(renderProposal).join(', ')}]`;
    }
    default:
      return unreachable(message, 'multi-paxos message');
  }
}

export function renderProposal(proposal: Proposal): string {
  return `${proposal.slot}:${renderValue(proposal.value)}`;
}

/** `noop` or `c1#3 write x "v"`. */
export function renderValue(value: Value): string {
  if (value.kind === 'noop') return 'noop';
  const { f, key, value: argument } = value.operation;
  return `c${value.clientId}#${value.sequence} ${f} ${key} ${JSON.stringify(argument)}`;
}

/** One stable line describing a node, for transcripts and reports. */
export function renderPaxosState(state: PaxosState): string {
  if (state.quarantined !== null) return `quarantined (${state.quarantined})`;
  const accepted = [...state.accepted.values()].sort((a, b) => a.slot - b.slot).map((proposal) => `${proposal.slot}@${renderBallot(proposal.ballot)}`);
  return [
    state.role,
    `ballot=${renderBallot(state.ballot)}`,
    `promised=${renderBallot(state.promised)}`,
    `leader=${state.leaderId ?? '-'}`,
    `chosen-through=${chosenThrough(state)}`,
    `applied=${state.applied}`,
    `snapshot=${snapshotSlot(state)}`,
    `accepted=[${accepted.join(' ')}]`,
  ].join(' ');
}
