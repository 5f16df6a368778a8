import { raftProtocol, renderEntry, renderRaftState, type RaftMessage, type RaftOptions, type RaftState, type RaftTimer } from '../../src/protocols/raft/index.js';
import { ProtocolCluster, renderKvData, type ProtocolAdapter } from '../support/transcript/cluster.js';

/** How the generic harness shows a Raft node (nodes numbered from 1, as in the Raft paper). */
export const raftAdapter: ProtocolAdapter<RaftState, RaftMessage, RaftOptions, RaftTimer> = {
  protocol: raftProtocol,
  firstNodeId: 1,
  status: renderRaftState,
  phase: (state) => `${state.role} term=${state.currentTerm}`,
  log(state) {
    const log = state.log;
    const lines = [`snapshot ${log.snapshotIndex}@${log.snapshotTerm}`];
    for (let index = log.firstIndex; index <= log.lastIndex; index++) lines.push(renderEntry(log.entry(index)));
    return lines;
  },
  kv: (state) => renderKvData(state.kv.data),
};

/** A Raft cluster on the generic harness (for the property test and the fault schedules). */
export class Cluster extends ProtocolCluster<RaftState, RaftMessage, RaftOptions, RaftTimer> {
  constructor(count: number, rawOptions: Record<string, unknown>, seed: string, trace = true, filterSteps = false) {
    super(raftAdapter, count, rawOptions, seed, trace, filterSteps);
  }
}
