import type { ClientRequest } from '../../protocol/client-types.js';
import type { NodeId } from '../../protocol/effects.js';
import type { DurableReader, Protocol } from '../../protocol/protocol.js';
import { millis } from '../../sim/time.js';
import { fail, unreachable } from '../../util/assert.js';
import type { RaftTimer } from '../raft/index.js';
import { CHAIN_MARKS, CHAIN_MESSAGES, CHAIN_TIMERS, type ChainContext, type ChainMark, type ChainTimer } from './declarations.js';
import { chainObservers } from './invariants.js';
import { appliedConfig, initMaster, isActingMaster, onMasterCheck, onMasterHeartbeat, onMasterRaftMessage, onMasterRaftTimer, onMasterRequest } from './master.js';
import { isRaftMessage, renderChainMessage, type ChainMessage } from './messages.js';
import { CHAIN_OPTIONS, type ChainOptions } from './options.js';
import { noteClock, onAck, onConfig, onFetch, onHeartbeatTimer, onReplicaRequest, onRetry, onState, onUpdate, recoverReplica } from './replica.js';
import { initialConfig, masterNodes, replicaNodes, type ChainState } from './state.js';

/**
 * Chain replication (van Renesse & Schneider, OSDI 2004): n0..n{masters-1} are the
 * configuration master, a Raft group whose state machine holds the configuration; the other
 * nodes are the replicas in a chain. The head orders and applies writes and sends them down; the
 * tail answers reads and acknowledges; acknowledgements flow back and the head answers the
 * client. The acting master (the Raft leader that has committed in its term) removes members it
 * stops hearing from and adds nodes at the tail (filled with the old tail's state), each change a
 * committed compare-and-set; a predecessor resends its in-flight updates to a new successor.
 * Serves the key-value service, with client sessions (a retried write applies once).
 */
export const chainProtocol: Protocol<ChainState, ChainMessage, ChainOptions, ChainTimer, ChainMark> = {
  name: 'chain-replication',
  description: 'chain replication (van Renesse & Schneider 2004): writes at the head, reads at the tail, a configuration master on Raft',
  options: CHAIN_OPTIONS,
  messages: CHAIN_MESSAGES,
  timers: CHAIN_TIMERS,
  marks: CHAIN_MARKS,
  deduplicatesRetries: true,
  init,
  onMessage,
  onTimer,
  onClientRequest,
  // The nemesis's `leader` is the lowest-numbered node that leads: the master group's Raft leader while there is one, else the head.
  isLeader: (state) =>
    state.master !== null ? state.master.raft.role === 'leader' : state.replica !== null && state.replica.hasState && state.replica.config?.chain[0] === state.id,
  renderMessage: renderChainMessage,
  summarizeState: (state) => {
    if (state.master !== null) {
      const raft = state.master.raft;
      const config = appliedConfig(raft, state.initial);
      const role = raft.health.kind === 'quarantined' ? 'quarantined' : isActingMaster(state.master) ? 'master' : `master-${raft.role}`;
      return { role, epoch: raft.currentTerm, leader: raft.leaderId, commit: raft.commitIndex, detail: `config v${config.version} chain ${config.chain.map((node) => `n${node}`).join('→')}` };
    }
    const replica = state.replica!;
    const chain = replica.config?.chain ?? [];
    const position = chain.indexOf(state.id);
    const role = position < 0 || !replica.hasState ? (position < 0 ? 'outside' : 'joining') : position === 0 ? 'head' : position === chain.length - 1 ? 'tail' : 'middle';
    return { role, epoch: replica.config?.version ?? 0, leader: chain[0] ?? null, commit: replica.acked, detail: `applied #${replica.lastSeq}, ${replica.inFlight.length} in flight` };
  },
  observers: (options) => chainObservers(options),
};

function init(context: ChainContext, disk: DurableReader, options: ChainOptions): ChainState {
  const masters = masterNodes(options);
  const replicas = replicaNodes(context.nodes, options);
  if (replicas.length === 0) {
    fail(`chain-replication needs more nodes than masters: ${options.masters} master node${options.masters === 1 ? '' : 's'} (option masters) and at least one replica, so at least ${options.masters + 1} nodes; the scenario has ${context.nodes.length}`);
  }
  const state: ChainState = { options, id: context.id, masters, replicas, initial: initialConfig(replicas), master: null, replica: null };
  if (masters.includes(context.id)) {
    initMaster(state, disk, context);
    context.setTimer('check', millis(options.checkMs));
  } else {
    state.replica = recoverReplica(state, disk, context);
    onHeartbeatTimer(state, context);
    context.setTimer('replica-heartbeat', millis(options.heartbeatMs));
    context.setTimer('retry', millis(options.retryMs));
  }
  return state;
}

function onMessage(state: ChainState, from: NodeId, message: ChainMessage, context: ChainContext): void {
  if (state.master !== null) state.master.raftStepped = false;
  if (state.replica !== null) noteClock(state, context);
  if (isRaftMessage(message)) {
    if (state.master !== null && state.masters.includes(from)) onMasterRaftMessage(state, from, message, context);
    return;
  }
  switch (message.type) {
    case 'replica-heartbeat':
      if (state.master !== null) onMasterHeartbeat(state, from, message, context);
      return;
    case 'config':
      if (state.replica !== null && state.masters.includes(from)) onConfig(state, message.config, message.read, message.echo, context);
      return;
    case 'update':
      if (state.replica !== null) onUpdate(state, from, message.version, message.seq, message.command, context);
      return;
    case 'ack':
      if (state.replica !== null) onAck(state, from, message.version, message.seq, context);
      return;
    case 'fetch':
      if (state.replica !== null) onFetch(state, from, message.version, message.nonce, context);
      return;
    case 'state':
      if (state.replica !== null) onState(state, from, message, context);
      return;
    default:
      unreachable(message, 'chain-replication message');
  }
}

function onTimer(state: ChainState, name: ChainTimer, context: ChainContext): void {
  if (state.master !== null) state.master.raftStepped = false;
  if (state.replica !== null) noteClock(state, context);
  switch (name) {
    case 'election':
    case 'heartbeat':
    case 'check-quorum':
      if (state.master !== null) onMasterRaftTimer(state, name as RaftTimer, context);
      return;
    case 'check':
      onMasterCheck(state, context);
      context.setTimer('check', millis(state.options.checkMs));
      return;
    case 'replica-heartbeat':
      onHeartbeatTimer(state, context);
      context.setTimer('replica-heartbeat', millis(state.options.heartbeatMs));
      return;
    case 'retry':
      onRetry(state, context);
      context.setTimer('retry', millis(state.options.retryMs));
      return;
    default:
      unreachable(name, 'chain-replication timer');
  }
}

function onClientRequest(state: ChainState, request: ClientRequest, context: ChainContext): void {
  if (state.master !== null) state.master.raftStepped = false;
  if (state.replica !== null) noteClock(state, context);
  if (state.replica !== null) return onReplicaRequest(state, request, context);
  onMasterRequest(state, request, context);
}
