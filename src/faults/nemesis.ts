import type { LinkSettings } from '../network/link.js';
import type { Network } from '../network/network.js';
import { cutLinks, describePartition, type PartitionShape } from '../network/partition.js';
import type { NodeHost } from '../node/host.js';
import type { AnyProtocol } from '../protocol/protocol.js';
import type { RandomStream } from '../random/random-stream.js';
import type { Micros } from '../sim/time.js';
import type { Trace } from '../trace/trace.js';
import type { FaultDetail } from '../trace/trace-event.js';
import { unreachable } from '../util/assert.js';
import type { Fault, LinkSelector, NodeTarget, PartitionSpec, ScheduledFault } from './fault.js';
import { PPM } from '../network/link.js';
import { ClockLayers } from './clock-layers.js';
import { LinkLayers } from './link-layers.js';
import { NodeHolds } from './node-holds.js';

/** A fault occurrence or its end, as the scheduler holds it. */
export interface FaultEvent {
  kind: 'fault';
  entry: number;
  phase: 'start' | 'end';
  /** What to undo at the end, filled in when the fault starts. */
  undo?: () => string;
  /** For a triggered fault: the node whose send triggered it (the `sender` target). */
  sender?: number;
  /** What the start touched, repeated on the end event for reports. */
  detail?: FaultDetail;
  /** A `pause-client` the client's mark set off: pause `sender` now (the arming came earlier). */
  armedPause?: boolean;
}

/** What a fault did: its description, how to undo it, and what it touched (for reports). */
interface Applied {
  description: string;
  undo?: () => string;
  nodes?: number[];
  links?: [number, number][];
}

export interface NemesisWorld {
  readonly now: Micros;
  readonly hosts: readonly NodeHost[];
  readonly network: Network;
  readonly protocol: AnyProtocol;
  schedule(at: Micros, event: FaultEvent): void;
  readonly trace: Trace;
  crash(node: number, tornWrite: boolean): void;
  restart(node: number): void;
  pause(node: number): void;
  resume(node: number): void;
  readonly clientCount: number;
  crashClient(client: number): void;
  /** The protocol's client nodes (`clientPause`), for `pause-client`; empty without them. */
  readonly clientNodes: readonly number[];
}

/**
 * Applies the scenario's fault schedule. Symbolic targets (`leader`, `random-minority`) are
 * resolved at the moment a fault fires, from the live cluster and the nemesis's own stream, so
 * adding a fault never shifts the draws of the workload or the nodes.
 *
 * Symbolic targets (`leader`, `random`, `random-minority`) respect a bound when they take nodes
 * down: at most f = floor((n-1)/2) nodes down (crashed or paused) at once. Explicit node ids and
 * `all` are obeyed as written.
 *
 * Faults compose as layers: each occurrence of a fault gets an id, its start adds its layer (a
 * link change, a clock step and drift, a hold on the nodes it took down) and its end removes that
 * layer only. The liveness heal ends every layer, so a fault end that comes after it finds nothing
 * of its own left and changes nothing. An end is traced in the same words either way, so runs
 * where no faults overlapped keep their trace hashes.
 */
export class Nemesis {
  private stopped = false;
  private readonly maxDown: number;
  /** Schedule entries fired by sends rather than by time. */
  private readonly triggered: number[];
  /** Whether any fault waits for sends (so the world tells the nemesis about each one). */
  readonly watchesSends: boolean;
  /** The sender of the fault being applied, for the `sender` target. */
  private sender: number | undefined;
  /** The id of the next fault occurrence (layers are removed by id). */
  private nextOccurrence = 1;
  readonly links: LinkLayers;
  readonly clocks: ClockLayers;
  readonly holds: NodeHolds;
  /** Whether any fault is a `pause-client` (so the world tells the nemesis about marks). */
  readonly watchesMarks: boolean;
  /** The schedule entry being applied. */
  private firing = -1;
  /** Armed `pause-client`s: client node → its schedule entry. */
  private readonly armedPauses = new Map<number, number>();

  constructor(
    private readonly schedule: readonly ScheduledFault[],
    private readonly random: RandomStream,
    private readonly world: NemesisWorld,
    defaults: LinkSettings,
  ) {
    this.links = new LinkLayers(world.network, defaults);
    this.clocks = new ClockLayers(world.hosts.map((host) => host.clock));
    this.holds = new NodeHolds(world.hosts.length);
    this.maxDown = Math.floor((world.hosts.length - 1) / 2);
    this.triggered = schedule.flatMap((entry, index) => (entry.trigger === undefined ? [] : [index]));
    this.watchesSends = this.triggered.length > 0;
    this.watchesMarks = schedule.some((entry) => entry.fault.kind === 'pause-client');
  }

  /**
   * A node reached a coverage mark. A client node with a `pause-client` armed, reaching the
   * protocol's pause mark, is paused one microsecond later: after the step, as triggered faults are.
   */
  noteMark(node: number, mark: string): void {
    if (this.stopped || mark !== this.world.protocol.clientPause?.mark) return;
    const entry = this.armedPauses.get(node);
    if (entry === undefined) return;
    this.armedPauses.delete(node);
    this.world.schedule(this.world.now + 1, { kind: 'fault', entry, phase: 'start', sender: node, armedPause: true });
  }

  start(): void {
    this.schedule.forEach((entry, index) => {
      if (entry.trigger === undefined) this.world.schedule(entry.at, { kind: 'fault', entry: index, phase: 'start' });
    });
  }

  /**
   * A node sent a message. A triggered fault whose window is open and whose message type matches
   * fires with its probability, one microsecond later: after the step (a node is never stopped in
   * the middle of one), and at a time a shrunk scenario can name as an ordinary timed fault.
   */
  noteSend(from: number, messageType: string): void {
    if (this.stopped) return;
    const now = this.world.now;
    for (const index of this.triggered) {
      const entry = this.schedule[index] as ScheduledFault;
      const trigger = entry.trigger!;
      if (trigger.messageType !== messageType || now < entry.at || (entry.until !== undefined && now > entry.until)) continue;
      if (!this.random.chance(trigger.probabilityPpm, PPM)) continue;
      this.world.schedule(now + 1, { kind: 'fault', entry: index, phase: 'start', sender: from });
    }
  }

  /** Ends the safety phase: no new faults start; pending ends still run (and find nothing left after a heal). */
  stop(): void {
    this.stopped = true;
  }

  fire(event: FaultEvent): void {
    const entry = this.schedule[event.entry] as ScheduledFault;
    if (event.phase === 'end') {
      const description = event.undo?.() ?? 'nothing to undo';
      this.world.trace.record({ kind: 'fault', time: this.world.now, phase: 'end', description, detail: event.detail });
      return;
    }
    if (this.stopped) return;
    this.sender = event.sender;
    this.firing = event.entry;
    const { description, undo, nodes, links } = event.armedPause === true ? this.pauseClient(event.sender!) : this.apply(entry.fault);
    this.sender = undefined;
    const detail: FaultDetail = { entry: event.entry, fault: entry.fault.kind, nodes: nodes ?? [], links: links ?? [] };
    this.world.trace.record({
      kind: 'fault',
      time: this.world.now,
      phase: 'start',
      description: event.sender === undefined || event.armedPause === true ? description : `${description} (after n${event.sender} sent ${entry.trigger!.messageType})`,
      detail,
    });
    if (entry.duration !== undefined && undo !== undefined) {
      this.world.schedule(this.world.now + entry.duration, { kind: 'fault', entry: event.entry, phase: 'end', undo, detail });
    }
    if (entry.every !== undefined && event.armedPause !== true) {
      const next = this.world.now + entry.every;
      if (entry.until === undefined || next <= entry.until) this.world.schedule(next, { kind: 'fault', entry: event.entry, phase: 'start' });
    }
  }

  /**
   * Heals the world for the liveness phase: every fault's layer ends, so links are back to the
   * scenario's baseline, clocks' steps are undone and their drift stopped, and paused and crashed
   * nodes come back. With a `core`, only those nodes are healed and joined; every other node is
   * cut off from them and left as it is, crashed, paused or skewed (TigerBeetle's liveness core).
   * Clocks heal before nodes come back, so a returning node never sets a timer on a drifting clock.
   */
  healAll(core?: readonly number[]): string {
    const network = this.world.network;
    const now = this.world.now;
    const inCore = (node: number) => core === undefined || core.includes(node);
    network.heal();
    this.links.clear();
    if (core !== undefined) network.partition({ shape: 'groups', groups: [[...core]] });
    this.holds.clear();
    for (const host of this.world.hosts) this.clocks.clear(host.id, now, inCore(host.id));
    for (const host of this.world.hosts) {
      if (!inCore(host.id)) continue;
      if (host.status === 'paused') this.world.resume(host.id);
      if (host.status === 'down') this.world.restart(host.id);
    }
    return core === undefined ? 'heal everything: links, drift, paused and crashed nodes' : `heal the core {${core.map((n) => `n${n}`).join(',')}}; the rest stay cut off`;
  }

  private apply(fault: Fault): Applied {
    const world = this.world;
    switch (fault.kind) {
      case 'crash': {
        const nodes = this.resolve(fault.target, 'up-or-paused', true);
        const id = this.nextOccurrence++;
        for (const node of nodes) {
          world.crash(node, fault.tornWrite);
          this.holds.take(id, node);
        }
        return {
          nodes,
          description: `crash ${list(nodes)}${fault.tornWrite ? ' (torn final write)' : ''}`,
          undo: () => {
            const back = nodes.filter((node) => this.holds.release(id, node) && world.hosts[node]!.status === 'down');
            for (const node of back) world.restart(node);
            return `restart ${list(back)}`;
          },
        };
      }
      case 'restart': {
        const nodes = this.resolve(fault.target, 'down', false);
        for (const node of nodes) {
          this.holds.forget(node);
          world.restart(node);
        }
        return { nodes, description: `restart ${list(nodes)}` };
      }
      case 'pause': {
        const nodes = this.resolve(fault.target, 'up', true);
        const id = this.nextOccurrence++;
        for (const node of nodes) {
          world.pause(node);
          this.holds.take(id, node);
        }
        return {
          nodes,
          description: `pause ${list(nodes)}`,
          undo: () => {
            const back = nodes.filter((node) => this.holds.release(id, node) && world.hosts[node]!.status === 'paused');
            for (const node of back) world.resume(node);
            return `resume ${list(back)}`;
          },
        };
      }
      case 'resume': {
        const nodes = this.resolve(fault.target, 'paused', false);
        for (const node of nodes) {
          this.holds.forget(node);
          world.resume(node);
        }
        return { nodes, description: `resume ${list(nodes)}` };
      }
      case 'partition': {
        const shape = this.resolvePartition(fault.spec);
        const id = world.network.partition(shape);
        return {
          links: cutPairs(cutLinks(shape, world.hosts.length), world.hosts.length),
          description: `partition ${describePartition(shape)}`,
          undo: () => {
            world.network.heal(id);
            return `heal ${describePartition(shape)}`;
          },
        };
      }
      case 'heal':
        world.network.heal();
        return { description: 'heal all partitions' };
      case 'clock': {
        const nodes = this.resolve(fault.target, 'any', false);
        const id = this.nextOccurrence++;
        for (const node of nodes) this.clocks.add(id, node, world.now, fault.offset, fault.driftPpm);
        return {
          nodes,
          description: `clock ${list(nodes)} offset ${fault.offset}us drift ${fault.driftPpm}ppm`,
          undo: () => {
            for (const node of nodes) this.clocks.remove(id, node, world.now);
            return `clock ${list(nodes)} restored`;
          },
        };
      }
      case 'network': {
        const links = this.resolveLinks(fault.links);
        const id = this.nextOccurrence++;
        this.links.add(id, links, fault.change);
        const what = Object.keys(fault.change).join(',');
        return {
          links,
          description: `network ${what} on ${links.length} links`,
          undo: () => {
            this.links.remove(id);
            return `network ${what} restored on ${links.length} links`;
          },
        };
      }
      case 'corrupt': {
        const nodes = this.resolve(fault.target, 'any', false);
        const hit: string[] = [];
        for (const node of nodes) {
          const disk = world.hosts[node]!.disk;
          const keys = disk.keys().filter((key) => key.startsWith(fault.keyPrefix));
          if (keys.length === 0) continue;
          const key = this.random.pick(keys);
          disk.corrupt(key);
          hit.push(`n${node}:${key}`);
        }
        return { nodes, description: `corrupt ${hit.length === 0 ? 'nothing (no matching records)' : hit.join(' ')}` };
      }
      case 'crash-client': {
        const client = fault.client === 'random' ? this.random.int(world.clientCount) : fault.client;
        world.crashClient(client);
        return { description: `crash client ${client}` };
      }
      case 'pause-client': {
        const clients = world.clientNodes;
        if (clients.length === 0) return { description: 'pause-client: no client nodes' };
        const index = fault.client === 'random' ? this.random.int(clients.length) : fault.client;
        const node = clients[index]!;
        // Held until the client reaches its moment; a second arming of the same client replaces the first.
        this.armedPauses.set(node, this.firing);
        return { description: `arm pause of client ${index} (n${node}) ${world.protocol.clientPause?.doc ?? ''}`.trimEnd() };
      }
      default:
        return unreachable(fault, 'fault');
    }
  }

  /** The armed pause-client goes off: the client node is paused (if it is running), held like a pause. */
  private pauseClient(node: number): Applied {
    const world = this.world;
    if (world.hosts[node]!.status !== 'up') return { nodes: [], description: `pause client n${node}: (no node) it is not running` };
    const id = this.nextOccurrence++;
    world.pause(node);
    this.holds.take(id, node);
    return {
      nodes: [node],
      description: `pause client n${node} (${world.protocol.clientPause?.doc ?? 'at its pause point'})`,
      undo: () => {
        const back = this.holds.release(id, node) && world.hosts[node]!.status === 'paused' ? [node] : [];
        for (const each of back) world.resume(each);
        return `resume ${list(back)}`;
      },
    };
  }

  /**
   * The nodes a target names, among those in the wanted status. `bounded` caps random choices so
   * no more than f nodes are down at once.
   */
  private resolve(target: NodeTarget, wanted: 'up' | 'down' | 'paused' | 'up-or-paused' | 'any', bounded: boolean): number[] {
    const hosts = this.world.hosts;
    const eligible = hosts.filter((host) => matches(host.status, wanted)).map((host) => host.id);
    const down = hosts.filter((host) => host.status !== 'up').length;
    const budget = bounded ? Math.max(0, this.maxDown - down) : hosts.length;
    switch (target.kind) {
      case 'node':
        return eligible.includes(target.node) ? [target.node] : [];
      case 'nodes':
        return target.nodes.filter((node) => eligible.includes(node));
      case 'all':
        return eligible;
      case 'leader': {
        const leader = this.leader();
        return leader !== undefined && eligible.includes(leader) && budget > 0 ? [leader] : [];
      }
      case 'random':
        return eligible.length === 0 || budget === 0 ? [] : [this.random.pick(eligible)];
      case 'random-minority': {
        const count = Math.min(budget, eligible.length, this.maxDown);
        if (count === 0) return [];
        return this.random.shuffle(eligible).slice(0, this.random.range(1, count)).sort((a, b) => a - b);
      }
      case 'sender': {
        // Symbolic like `leader`: it respects the bound on nodes down at once.
        const sender = this.sender;
        return sender !== undefined && eligible.includes(sender) && budget > 0 ? [sender] : [];
      }
      default:
        return unreachable(target, 'node target');
    }
  }

  /** The lowest-numbered live node that believes it leads, if the protocol can say. */
  private leader(): number | undefined {
    const isLeader = this.world.protocol.isLeader;
    if (isLeader === undefined) return undefined;
    for (const host of this.world.hosts) if (host.status === 'up' && isLeader(host.state)) return host.id;
    return undefined;
  }

  private resolvePartition(spec: PartitionSpec): PartitionShape {
    const n = this.world.hosts.length;
    const all = [...Array(n).keys()];
    switch (spec.shape) {
      case 'isolate': {
        const [node] = this.resolve(spec.target, 'any', false);
        return { shape: 'isolate', node: node ?? this.random.int(n) };
      }
      case 'split': {
        const minority = spec.minority.kind === 'random-minority' || spec.minority.kind === 'random'
          ? this.random.shuffle(all).slice(0, Math.max(1, this.maxDown))
          : this.resolve(spec.minority, 'any', false);
        return { shape: 'split', minority: minority.sort((a, b) => a - b) };
      }
      case 'bridge': {
        const order = this.random.shuffle(all);
        const bridge = order[0] as number;
        const rest = order.slice(1);
        const half = Math.floor(rest.length / 2);
        return { shape: 'bridge', bridge, left: rest.slice(0, half).sort((a, b) => a - b), right: rest.slice(half).sort((a, b) => a - b) };
      }
      case 'majorities-ring':
        return { shape: 'majorities-ring', order: this.random.shuffle(all) };
      case 'groups':
        return { shape: 'groups', groups: spec.groups };
      case 'one-way':
        return { shape: 'one-way', from: this.resolve(spec.from, 'any', false), to: this.resolve(spec.to, 'any', false) };
      default:
        return unreachable(spec, 'partition spec');
    }
  }

  private resolveLinks(selector: LinkSelector): [number, number][] {
    const n = this.world.hosts.length;
    const links: [number, number][] = [];
    switch (selector.kind) {
      case 'all':
        for (let from = 0; from < n; from++) for (let to = 0; to < n; to++) if (from !== to) links.push([from, to]);
        return links;
      case 'node': {
        const nodes = this.resolve(selector.target, 'any', false);
        for (const node of nodes) {
          for (let other = 0; other < n; other++) {
            if (other === node) continue;
            links.push([node, other]);
            if (!nodes.includes(other)) links.push([other, node]);
          }
        }
        return links;
      }
      case 'link':
        return [[selector.from, selector.to]];
      default:
        return unreachable(selector, 'link selector');
    }
  }
}

function matches(status: string, wanted: 'up' | 'down' | 'paused' | 'up-or-paused' | 'any'): boolean {
  if (wanted === 'any') return true;
  if (wanted === 'up-or-paused') return status !== 'down';
  return status === wanted;
}

function list(nodes: number[]): string {
  return nodes.length === 0 ? '(no node)' : nodes.map((node) => `n${node}`).join(',');
}

/** The cut links of a partition as from/to pairs (links are indexed `from * n + to`). */
function cutPairs(cut: Uint8Array, nodeCount: number): [number, number][] {
  const pairs: [number, number][] = [];
  for (let index = 0; index < cut.length; index++) if (cut[index] === 1) pairs.push([Math.floor(index / nodeCount), index % nodeCount]);
  return pairs;
}
