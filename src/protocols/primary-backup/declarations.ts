import type { Declarations, NodeContext } from '../../protocol/protocol.js';
import type { PbMessage } from './messages.js';

export const PB_MESSAGES: Declarations<PbMessage['type']> = {
  Prepare: 'primary to backup: entries to append at a position, and the commit point',
  PrepareOk: 'backup to primary: my log matches yours up to a length',
  Commit: 'primary heartbeat: the commit point and log length',
  StartViewChange: 'I stopped trusting the primary; move to the next view',
  DoViewChange: 'my log, sent to the new primary so it can pick the most recent',
  StartView: 'new primary to all: the view starts with this log',
  GetView: 'a node that saw a newer view asks the primary for its log',
};

export type PbTimer = 'heartbeat' | 'primary-timeout';

export const PB_TIMERS: Declarations<PbTimer> = {
  heartbeat: 'primary: send heartbeats (Commit or Prepare) to every backup',
  'primary-timeout': 'backup: no word from the primary; start a view change',
};

export type PbMark = 'view-change-started' | 'view-started';

export const PB_MARKS: Declarations<PbMark> = {
  'view-change-started': 'a node gave up on the primary and started a view change',
  'view-started': 'a new primary started its view with the most recent log of a majority',
};

export type PbContext = NodeContext<PbMessage, PbTimer, PbMark>;
