import type { KvCommand } from '../kv/index.js';

/** A log entry: a client command stamped with the view whose primary appended it. */
export interface Entry {
  view: number;
  command: KvCommand;
}

/**
 * Messages of view-stamped primary-backup. `length` is always a log length (the number of
 * entries), so `length = 3` means entries 0, 1 and 2.
 */
export type PbMessage =
  /** Primary → backup: append `entries` at position `start`; `commit` entries are committed. */
  | { type: 'Prepare'; view: number; start: number; entries: Entry[]; commit: number }
  /** Backup → primary: my log matches yours up to `length`. */
  | { type: 'PrepareOk'; view: number; length: number }
  /** Primary → backup, as heartbeat: the commit point and the primary's log length. */
  | { type: 'Commit'; view: number; commit: number; length: number }
  /** Anyone → all: I stopped trusting the primary; let us move to `view`. */
  | { type: 'StartViewChange'; view: number }
  /** Anyone → new primary of `view`: my log, for it to pick the most recent one. */
  | { type: 'DoViewChange'; view: number; lastNormalView: number; log: Entry[]; commit: number }
  /** New primary → all: the view starts with this log. */
  | { type: 'StartView'; view: number; log: Entry[]; commit: number }
  /** A node that saw a newer view without its log asks the primary for it. */
  | { type: 'GetView'; view: number };

export function renderPbMessage(message: PbMessage): string {
  switch (message.type) {
    case 'Prepare':
      return `Prepare{v=${message.view} start=${message.start} n=${message.entries.length} commit=${message.commit}}`;
    case 'PrepareOk':
      return `PrepareOk{v=${message.view} len=${message.length}}`;
    case 'Commit':
      return `Commit{v=${message.view} commit=${message.commit} len=${message.length}}`;
    case 'StartViewChange':
      return `StartViewChange{v=${message.view}}`;
    case 'DoViewChange':
      return `DoViewChange{v=${message.view} lnv=${message.lastNormalView} len=${message.log.length} commit=${message.commit}}`;
    case 'StartView':
      return `StartView{v=${message.view} len=${message.log.length} commit=${message.commit}}`;
    case 'GetView':
      return `GetView{v=${message.view}}`;
  }
}
