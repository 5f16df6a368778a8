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

/** Coverage marks: the branches that matter for safety (see docs/writing-a-protocol.md). */
export type PbMark =
  | 'view-change-started'
  | 'view-started'
  | 'view-started-with-other-log'
  | 'uncommitted-entries-replaced'
  | 'prepare-gap'
  | 'stale-view-ignored'
  | 'restart-in-view-change'
  | 'restart-found-corrupt-disk'
  | 'writes-unknown-on-view-change'
  | 'retry-answered-from-session';

export const PB_MARKS: Declarations<PbMark> = {
  'view-change-started': 'a node gave up on the primary and started a view change',
  'view-started': 'a new primary started its view with the most recent log of a majority',
  'view-started-with-other-log': "a new primary adopted another node's log (more recent than its own)",
  'uncommitted-entries-replaced': "a node's uncommitted entries were replaced by the new view's log or the primary's",
  'prepare-gap': 'a backup got entries beyond its log end and asked the primary to resend',
  'stale-view-ignored': 'a message of an older view was ignored (a deposed primary)',
  'restart-in-view-change': 'a node restarted in the middle of a view change',
  'restart-found-corrupt-disk': 'a node restarted on a corrupt disk and stays out of every quorum',
  'writes-unknown-on-view-change': 'a primary stepping down answered waiting writes unknown',
  'retry-answered-from-session': 'a retried write already applied was answered from its client session',
};

export type PbContext = NodeContext<PbMessage, PbTimer, PbMark>;
