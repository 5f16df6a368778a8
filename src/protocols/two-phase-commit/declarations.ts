import type { Declarations, NodeContext } from '../../protocol/protocol.js';
import type { TpcMessage } from './messages.js';

export const TPC_MESSAGES: Declarations<TpcMessage['type']> = {
  prepare: 'coordinator to participant: lock, log the writes durably, and vote',
  vote: 'participant to coordinator: yes (prepared) or no',
  decision: 'coordinator to participant: commit or abort, sent once the decision is durable',
  ack: 'participant to coordinator: the decision is applied',
  status: 'a participant in doubt asks for the outcome (presumed abort when none is logged)',
};

export type TpcTimer = 'tick';

export const TPC_TIMERS: Declarations<TpcTimer> = {
  tick: 'coordinator: abort slow transactions, resend decisions; participant: ask about transactions in doubt',
};

export type TpcMark = 'txn-committed' | 'txn-aborted' | 'vote-no-conflict' | 'prepared-recovered' | 'in-doubt-asked' | 'presumed-abort' | 'decision-resent';

export const TPC_MARKS: Declarations<TpcMark> = {
  'txn-committed': 'the coordinator logged a commit decision',
  'txn-aborted': 'the coordinator decided to abort (a no vote or a timeout)',
  'vote-no-conflict': 'a participant voted no: an account was locked by another transaction',
  'prepared-recovered': 'a restarted participant found a prepared transaction on its disk',
  'in-doubt-asked': 'a prepared participant asked the coordinator for the outcome',
  'presumed-abort': 'the coordinator answered abort for a transaction it has no record of',
  'decision-resent': 'the coordinator resent a decision a participant had not acknowledged',
};

export type TpcContext = NodeContext<TpcMessage, TpcTimer, TpcMark>;
