import type { ClientRequest } from '../../protocol/client-types.js';
import type { NodeId } from '../../protocol/effects.js';
import type { DurableReader } from '../../protocol/protocol.js';
import { assert, fail, unreachable } from '../../util/assert.js';
import { createKvStore, restoreKvStore } from '../kv/store.js';
import { handleAck, handleCommit, handleProposal } from './broadcast.js';
import { handleClientRequest, handleForward } from './client.js';
import type { ZabContext, ZabTimer } from './declarations.js';
import { handleAckEpoch, handleFollowerInfo, handleLeaderInfo, maybeChooseEpoch } from './discovery.js';
import { handleNotification, onElectionTimer, onFinalizeTimer, startElection } from './election.js';
import type { ZabMessage } from './messages.js';
import type { ZabOptions } from './options.js';
import { createZabState, type ZabState } from './state.js';
import { endBatch, persistRecovering, recover } from './storage.js';
import { handleAckNewLeader, handleNewLeader, handleSyncMessage, handleUpToDate } from './sync.js';
import { onTick } from './tick.js';

type Context = ZabContext;

/** Starts (or restarts) a server from its disk: epochs, snapshot, then the log after it. */
export function initZab(context: Context, disk: DurableReader, options: ZabOptions): ZabState {
  const state = createZabState(context.id, context.nodes, options);
  const recovered = recover(disk, options.unsafeEpochFromZxid);
  state.health = recovered.health;
  if (recovered.health === 'quarantined') {
    context.mark('quarantined');
    return state;
  }
  state.acceptedEpoch = recovered.acceptedEpoch;
  state.currentEpoch = recovered.currentEpoch;
  if (recovered.snapshot !== null) {
    const kv = restoreKvStore(recovered.snapshot.data);
    assert(kv !== undefined, 'recovery accepted an unreadable snapshot');
    state.kv = kv;
    state.history.snapshot = recovered.snapshot;
    state.commitZxid = recovered.snapshot.zxid;
    context.mark('recovered-from-snapshot');
  } else state.kv = createKvStore();
  for (const txn of recovered.txns) state.history.append(txn);
  if (recovered.newlyRecovering) {
    context.mark('recovering-after-corruption');
    persistRecovering(state, context, true);
  }
  for (const key of recovered.garbage) {
    context.persist(key, undefined);
    state.wroteThisStep = true;
  }
  startElection(state, context);
  endBatch(state, context);
  return state;
}

function beginStep(state: ZabState): void {
  const step = state.step;
  if (step.applied.length > 0) step.applied = [];
  if (step.proposed.length > 0) step.proposed = [];
  step.removedFrom = Infinity;
  step.established = false;
  step.installedSnapshot = null;
  if (state.wroteThisStep) fail(`server ${state.id} left a batch open`);
}

export function onZabMessage(state: ZabState, from: NodeId, message: ZabMessage, context: Context): void {
  beginStep(state);
  if (state.health === 'quarantined') return;
  dispatch(state, context, from, message);
  endBatch(state, context);
}

export function onZabTimer(state: ZabState, name: ZabTimer, context: Context): void {
  beginStep(state);
  if (state.health === 'quarantined') return;
  switch (name) {
    case 'election':
      onElectionTimer(state, context);
      break;
    case 'finalize':
      onFinalizeTimer(state, context);
      if (state.role === 'leading') maybeChooseEpoch(state, context);
      break;
    case 'tick':
      onTick(state, context);
      break;
    default:
      unreachable(name, 'zab timer');
  }
  endBatch(state, context);
}

export function onZabClientRequest(state: ZabState, request: ClientRequest, context: Context): void {
  beginStep(state);
  handleClientRequest(state, context, request);
  if (state.health !== 'quarantined') endBatch(state, context);
}

function dispatch(state: ZabState, context: Context, from: NodeId, message: ZabMessage): void {
  // The broadcast traffic first: a string switch compares case by case.
  switch (message.type) {
    case 'proposal':
      handleProposal(state, context, from, message);
      return;
    case 'ack':
      handleAck(state, context, from, message);
      return;
    case 'commit':
    case 'ping':
      handleCommit(state, context, from, message);
      return;
    case 'forward':
      handleForward(state, context, from, message);
      return;
    case 'notification':
      handleNotification(state, context, from, message);
      return;
    case 'followerinfo':
      handleFollowerInfo(state, context, from, message);
      return;
    case 'leaderinfo':
      handleLeaderInfo(state, context, from, message);
      return;
    case 'ackepoch':
      handleAckEpoch(state, context, from, message);
      return;
    case 'diff':
    case 'trunc':
    case 'snap':
      handleSyncMessage(state, context, from, message);
      return;
    case 'newleader':
      handleNewLeader(state, context, from, message);
      return;
    case 'ack-newleader':
      handleAckNewLeader(state, context, from, message);
      return;
    case 'uptodate':
      handleUpToDate(state, context, from, message);
      return;
    default:
      unreachable(message, 'zab message');
  }
}
