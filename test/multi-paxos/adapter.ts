import { renderBallot } from '../../src/protocols/multi-paxos/ballot.js';
import { multiPaxosProtocol, renderPaxosState, type PaxosMessage, type PaxosOptions, type PaxosState } from '../../src/protocols/multi-paxos/index.js';
import type { PaxosTimer } from '../../src/protocols/multi-paxos/declarations.js';
import { renderValue } from '../../src/protocols/multi-paxos/render.js';
import { chosenThrough, snapshotSlot } from '../../src/protocols/multi-paxos/state.js';
import { renderKvData, type ProtocolAdapter } from '../support/transcript/cluster.js';

/**
 * How the generic harness shows a Multi-Paxos node. Nodes are numbered from 0, as the simulator
 * does, so ballot `2.1` is round 2 of node 1.
 */
export const paxosAdapter: ProtocolAdapter<PaxosState, PaxosMessage, PaxosOptions, PaxosTimer> = {
  protocol: multiPaxosProtocol,
  firstNodeId: 0,
  status: renderPaxosState,
  phase: (state) => `${state.role} ballot=${renderBallot(state.ballot)}`,
  log: renderSlots,
  kv: (state) => renderKvData(state.kv.data),
};

/**
 * One line per slot above the snapshot, up to the highest one the node holds anything for: what
 * its acceptor accepted there (ballot and value), and whether its learner knows the slot chosen
 * or applied it.
 */
function renderSlots(state: PaxosState): string[] {
  const lines = [`snapshot ${snapshotSlot(state)}`];
  const last = Math.max(state.accepted.end - 1, state.chosen.end - 1, chosenThrough(state));
  for (let slot = snapshotSlot(state) + 1; slot <= last; slot++) {
    const accepted = state.accepted.get(slot);
    const chosen = state.chosen.get(slot);
    const learned = slot <= state.applied ? ' (applied)' : chosen !== undefined ? ' (chosen)' : '';
    const record = accepted === undefined ? 'nothing accepted' : `accepted ${renderBallot(accepted.ballot)} ${renderValue(accepted.value)}`;
    lines.push(`${slot}: ${record}${learned}`);
  }
  return lines;
}
