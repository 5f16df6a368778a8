import type { NodeId } from '../../protocol/effects.js';
import type { DurableReader } from '../../protocol/protocol.js';
import { fail } from '../../util/assert.js';
import type { ChainContext } from './declarations.js';
import type { ChainConfig, ChainMessage } from './messages.js';
import { replicas, type ChainState, type MasterState } from './state.js';
import { millis } from '../../sim/time.js';

type Heartbeat = Extract<ChainMessage, { type: 'heartbeat' }>;

const CONFIG_KEY = 'config';

/**
 * The configuration master is one node whose configuration is persisted before anyone hears of
 * it (not replicated: while it is down, the chain keeps serving but nothing is reconfigured).
 * With nothing on disk, every replica is in the chain in id order.
 */
export function recoverMaster(state: ChainState, disk: DurableReader, context: ChainContext): MasterState {
  const record = disk.read(CONFIG_KEY);
  if (record.kind === 'corrupt') fail('master configuration is corrupt');
  const now = context.now;
  const all = replicas(context.nodes);
  if (record.kind === 'value') {
    const config = record.value as ChainConfig;
    context.mark('master-recovered');
    // Everyone gets a full timeout of grace: the master has heard from nobody yet.
    const master: MasterState = { config, lastHeard: new Map(all.map((node) => [node, now])), addedAt: new Map(all.map((node) => [node, now])) };
    broadcast(master, context);
    return master;
  }
  const config: ChainConfig = { version: 1, chain: all, since: Object.fromEntries(all.map((node) => [String(node), 1])) };
  const master: MasterState = { config, lastHeard: new Map(all.map((node) => [node, now])), addedAt: new Map(all.map((node) => [node, now])) };
  context.persist(CONFIG_KEY, config);
  broadcast(master, context);
  return master;
}

/**
 * A heartbeat: the master answers with the configuration (echoing the send time, which is what
 * the tail's read lease counts from). A node outside the chain is added at the tail; a member
 * that lost its state (it restarted) or never got it is moved to the tail to be filled again.
 */
export function onMasterHeartbeat(state: ChainState, from: NodeId, heartbeat: Heartbeat, context: ChainContext): void {
  const master = state.master!;
  master.lastHeard.set(from, context.now);
  const config = master.config;
  const member = config.chain.includes(from);
  const settled = heartbeat.version === config.version;
  if (!member) {
    reconfigure(master, [...config.chain, from], [from], context);
    context.mark('member-added');
  } else if (settled && heartbeat.joined !== config.since[String(from)] && context.now - (master.addedAt.get(from) ?? 0) > millis(state.options.failureTimeoutMs) && config.chain.length > 1) {
    reconfigure(master, [...config.chain.filter((node) => node !== from), from], [from], context);
    context.mark('rejoined-after-restart');
  }
  context.send(from, { type: 'config', config: master.config, echo: heartbeat.sentAt });
}

/** Removes the members not heard from for failureTimeoutMs (never the last one). */
export function onMasterCheck(state: ChainState, context: ChainContext): void {
  const master = state.master!;
  const limit = millis(state.options.failureTimeoutMs);
  const silent = master.config.chain.filter((node) => context.now - (master.lastHeard.get(node) ?? 0) > limit);
  if (silent.length === 0) return;
  let chain = master.config.chain.filter((node) => !silent.includes(node));
  if (chain.length === 0) chain = [master.config.chain[master.config.chain.length - 1]!];
  if (chain.length === master.config.chain.length) return;
  for (let i = 0; i < master.config.chain.length - chain.length; i++) context.mark('member-removed');
  reconfigure(master, chain, [], context);
}

function reconfigure(master: MasterState, chain: NodeId[], added: NodeId[], context: ChainContext): void {
  const version = master.config.version + 1;
  const since = Object.fromEntries(chain.map((node) => [String(node), added.includes(node) ? version : master.config.since[String(node)]!]));
  master.config = { version, chain, since };
  for (const node of added) master.addedAt.set(node, context.now);
  context.persist(CONFIG_KEY, master.config);
  broadcast(master, context);
}

function broadcast(master: MasterState, context: ChainContext): void {
  for (const node of replicas(context.nodes)) context.send(node, { type: 'config', config: master.config, echo: null });
}
