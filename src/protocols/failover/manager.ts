import type { NodeId } from '../../protocol/effects.js';
import type { DurableReader } from '../../protocol/protocol.js';
import { fail } from '../../util/assert.js';
import type { FailoverContext } from './declarations.js';
import { freshHistory, noteHeartbeat, suspects } from './detector.js';
import { servers, type FailoverState, type ManagerState } from './state.js';
import { millis } from '../../sim/time.js';

const MANAGER_KEY = 'manager';

type StoredManager = { epoch: number; primary: NodeId };

/**
 * The manager's epoch and primary survive its crashes, so it never issues an epoch twice. With
 * nothing on disk it makes the first server the primary of epoch 1.
 */
export function recoverManager(state: FailoverState, disk: DurableReader, context: FailoverContext): ManagerState {
  const record = disk.read(MANAGER_KEY);
  if (record.kind === 'corrupt') fail('manager record is corrupt');
  const manager: ManagerState = { epoch: 0, primary: null, history: null, lastHeard: new Map(), suspicions: 0, lastSuspected: null };
  if (record.kind === 'value') {
    const stored = record.value as StoredManager;
    manager.epoch = stored.epoch;
    manager.primary = stored.primary;
    manager.history = freshHistory(context.now, state.options);
    context.mark('manager-recovered');
    for (const server of servers(context.nodes)) context.send(server, { type: 'view', epoch: manager.epoch, primary: stored.primary });
  } else {
    promote(state, manager, servers(context.nodes)[0]!, context);
  }
  return manager;
}

export function onHeartbeat(state: FailoverState, from: NodeId, context: FailoverContext): void {
  const manager = state.manager!;
  manager.lastHeard.set(from, context.now);
  if (from === manager.primary && manager.history !== null) noteHeartbeat(manager.history, context.now, state.options);
  if (manager.primary !== null) context.send(from, { type: 'view', epoch: manager.epoch, primary: manager.primary });
}

/** The detector's verdict on the primary; on a suspicion, a standby heard from recently takes over. */
export function onCheck(state: FailoverState, context: FailoverContext): void {
  const manager = state.manager!;
  if (manager.primary === null || manager.history === null) return;
  if (!suspects(manager.history, context.now, state.options)) return;
  const suspected = manager.primary;
  const recent = millis(state.options.timeoutMs);
  // The standby heard from most recently (ties: the lowest id), if it was heard within timeoutMs.
  let best: NodeId | null = null;
  for (const server of servers(context.nodes)) {
    if (server === suspected) continue;
    const heard = manager.lastHeard.get(server);
    if (heard === undefined || context.now - heard > recent) continue;
    if (best === null || heard > manager.lastHeard.get(best)!) best = server;
  }
  if (best === null) {
    context.mark('no-standby');
    return;
  }
  manager.suspicions++;
  manager.lastSuspected = suspected;
  context.mark('suspected');
  context.mark('failover');
  promote(state, manager, best, context);
}

/** A new epoch, durable before any server hears of it (the host holds the sends until it syncs). */
function promote(state: FailoverState, manager: ManagerState, primary: NodeId, context: FailoverContext): void {
  manager.epoch++;
  manager.primary = primary;
  manager.history = freshHistory(context.now, state.options);
  const stored: StoredManager = { epoch: manager.epoch, primary };
  context.persist(MANAGER_KEY, stored);
  for (const server of servers(context.nodes)) context.send(server, { type: 'view', epoch: manager.epoch, primary });
}
