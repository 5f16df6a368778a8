import { zabProtocol, type ZabMessage, type ZabOptions, type ZabState, type ZabTimer } from '../../src/protocols/zab/index.js';
import { renderTxn } from '../../src/protocols/zab/render.js';
import { roleName } from '../../src/protocols/zab/roles.js';
import { activeEpoch } from '../../src/protocols/zab/state.js';
import { renderZxid } from '../../src/protocols/zab/zxid.js';
import { renderKvData, type ProtocolAdapter } from '../support/transcript/cluster.js';

/**
 * How the generic harness shows a Zab server. Nodes are numbered from 0, as the simulator does.
 * `epoch` is the epoch the server is in (the one it leads, or the LEADERINFO it accepted; 0 while
 * looking or before discovery ends); `accepted` and `current` are the two durable epochs (the
 * promise, and the last epoch whose synchronization completed here).
 */
export const zabAdapter: ProtocolAdapter<ZabState, ZabMessage, ZabOptions, ZabTimer> = {
  protocol: zabProtocol,
  firstNodeId: 0,
  status: renderStatus,
  phase: (state) => `${roleName(state)} epoch=${activeEpoch(state)}`,
  log: renderHistory,
  kv: (state) => renderKvData(state.kv.data),
};

function renderStatus(state: ZabState): string {
  const history = state.history;
  const parts = [roleName(state), `epoch=${activeEpoch(state)}`];
  // While looking, whom it votes for and why (FLE orders votes by epoch, then last zxid, then id).
  if (state.role === 'looking') parts.push(`vote=${state.vote.leader}(${state.vote.peerEpoch}, ${renderZxid(state.vote.zxid)})`);
  else parts.push(`leader=${state.leaderId ?? '-'}`);
  parts.push(
    `accepted=${state.acceptedEpoch}`,
    `current=${state.currentEpoch}`,
    `last=${renderZxid(history.lastZxid)}`,
    `commit=${renderZxid(state.commitZxid)}`,
    `snapshot=${renderZxid(history.snapshotZxid)}`,
    `history=[${history.txns.map((txn) => renderZxid(txn.zxid)).join(' ')}]`,
  );
  if (state.health !== 'healthy') parts.push(`health=${state.health}`);
  return parts.join(' ');
}

/** The snapshot point, then one line per txn after it, marked once committed (applied) here. */
function renderHistory(state: ZabState): string[] {
  const history = state.history;
  const lines = [`snapshot ${renderZxid(history.snapshotZxid)}`];
  for (const txn of history.txns) lines.push(`${renderTxn(txn)}${txn.zxid <= state.commitZxid ? ' (committed)' : ''}`);
  return lines;
}
