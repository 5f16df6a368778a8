import type { Entry } from './messages.js';
import { isPrimary, type PbState } from './state.js';

/** `primary`, `backup`, `view-change` or `failed`: what the node is doing in its view. */
export function pbRole(state: PbState): string {
  if (state.status !== 'normal') return state.status;
  return isPrimary(state) ? 'primary' : 'backup';
}

/** One log entry: `3 v1 c2#1 write x "a"` (position, view that appended it, client command). */
export function renderPbEntry(position: number, entry: Entry): string {
  const { clientId, sequence, operation } = entry.command;
  return `${position} v${entry.view} c${clientId}#${sequence} ${operation.f} ${operation.key} ${JSON.stringify(operation.value)}`;
}

/** One stable line describing a node, for transcripts and reports. */
export function renderPbState(state: PbState): string {
  const waiting = [...state.waiting.values()].reduce((sum, requests) => sum + requests.length, 0);
  return [
    pbRole(state),
    `view=${state.view}`,
    `last-normal=${state.lastNormalView}`,
    `log=${state.log.length}`,
    `commit=${state.commit}`,
    `applied=${state.applied}`,
    `waiting=${waiting}`,
  ].join(' ');
}
