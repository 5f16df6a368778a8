import type { ClientRequest } from '../../protocol/client-types.js';
import type { NodeId } from '../../protocol/effects.js';
import type { DurableReader, Protocol } from '../../protocol/protocol.js';
import { millis } from '../../sim/time.js';
import { fail, unreachable } from '../../util/assert.js';
import { isKvWrite, parseKvOperation } from '../kv/index.js';
import { CHAIN_MARKS, CHAIN_MESSAGES, CHAIN_TIMERS, type ChainContext, type ChainMark, type ChainTimer } from './declarations.js';
import { chainObservers } from './invariants.js';
import { onMasterCheck, onMasterHeartbeat, recoverMaster } from './master.js';
import { renderChainMessage, type ChainMessage } from './messages.js';
import { CHAIN_OPTIONS, type ChainOptions } from './options.js';
import { onAck, onConfig, onFetch, onHeartbeatTimer, onReplicaRequest, onRetry, onState, onUpdate, recoverReplica } from './replica.js';
import { MASTER, type ChainState } from './state.js';

/**
 * Chain replication (van Renesse & Schneider, OSDI 2004): n0 is the configuration master, n1…
 * the replicas in a chain. The head orders and applies writes and sends them down; the tail
 * answers reads and acknowledges; acknowledgements flow back and the head answers the client.
 * The master removes members it stops hearing from and adds nodes at the tail (filled with the
 * old tail's state); a predecessor resends its in-flight updates to a new successor. Serves the
 * key-value service, with client sessions (a retried write applies once).
 */
export const chainProtocol: Protocol<ChainState, ChainMessage, ChainOptions, ChainTimer, ChainMark> = {
  name: 'chain-replication',
  description: 'chain replication (van Renesse & Schneider 2004): writes at the head, reads at the tail, a configuration master',
  options: CHAIN_OPTIONS,
  messages: CHAIN_MESSAGES,
  timers: CHAIN_TIMERS,
  marks: CHAIN_MARKS,
  deduplicatesRetries: true,
  init,
  onMessage,
  onTimer,
  onClientRequest,
  isLeader: (state) => state.replica !== null && state.replica.hasState && state.replica.config?.chain[0] === state.id,
  renderMessage: renderChainMessage,
  summarizeState: (state) => {
    if (state.master !== null) {
      const config = state.master.config;
      return { role: 'master', epoch: config.version, leader: config.chain[0] ?? null, commit: 0, detail: `chain ${config.chain.map((node) => `n${node}`).join('→')}` };
    }
    const replica = state.replica!;
    const chain = replica.config?.chain ?? [];
    const position = chain.indexOf(state.id);
    const role = position < 0 || !replica.hasState ? (position < 0 ? 'outside' : 'joining') : position === 0 ? 'head' : position === chain.length - 1 ? 'tail' : 'middle';
    return { role, epoch: replica.config?.version ?? 0, leader: chain[0] ?? null, commit: replica.acked, detail: `applied #${replica.lastSeq}, ${replica.inFlight.length} in flight` };
  },
  observers: () => chainObservers(),
};

function init(context: ChainContext, disk: DurableReader, options: ChainOptions): ChainState {
  if (context.nodes.length < 3) fail('chain-replication needs a master and at least two replicas (3 nodes)');
  const state: ChainState = { options, id: context.id, master: null, replica: null };
  if (context.id === MASTER) {
    state.master = recoverMaster(state, disk, context);
    context.setTimer('check', millis(options.checkMs));
  } else {
    state.replica = recoverReplica(disk, context);
    onHeartbeatTimer(state, context);
    context.setTimer('heartbeat', millis(options.heartbeatMs));
    context.setTimer('retry', millis(options.retryMs));
  }
  return state;
}

function onMessage(state: ChainState, from: NodeId, message: ChainMessage, context: ChainContext): void {
  switch (message.type) {
    case 'heartbeat':
      if (state.master !== null) onMasterHeartbeat(state, from, message, context);
      return;
    case 'config':
      if (state.replica !== null && from === MASTER) onConfig(state, message.config, message.echo, context);
      return;
    case 'update':
      if (state.replica !== null) onUpdate(state, from, message.version, message.seq, message.command, context);
      return;
    case 'ack':
      if (state.replica !== null) onAck(state, from, message.version, message.seq, context);
      return;
    case 'fetch':
      if (state.replica !== null) onFetch(state, from, message.version, context);
      return;
    case 'state':
      if (state.replica !== null) onState(state, from, message, context);
      return;
    default:
      unreachable(message, 'chain-replication message');
  }
}

function onTimer(state: ChainState, name: ChainTimer, context: ChainContext): void {
  switch (name) {
    case 'heartbeat':
      onHeartbeatTimer(state, context);
      context.setTimer('heartbeat', millis(state.options.heartbeatMs));
      return;
    case 'check':
      onMasterCheck(state, context);
      context.setTimer('check', millis(state.options.checkMs));
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
  if (state.replica !== null) return onReplicaRequest(state, request, context);
  const config = state.master!.config;
  const operation = parseKvOperation(request.operation);
  const write = typeof operation === 'string' || isKvWrite(operation);
  context.reply(request.requestId, { status: 'redirect', leaderHint: (write ? config.chain[0] : config.chain[config.chain.length - 1]) ?? null });
}
