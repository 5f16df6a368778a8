import type { ClusterView, Observer, StepFilter } from '../../invariants/observer.js';
import type { NodeId } from '../../protocol/effects.js';
import type { Txn } from './messages.js';
import type { ZabOptions } from './options.js';
import type { ZabState } from './state.js';
import { counterOf, epochOf, renderZxid, type Epoch, type Zxid } from './zxid.js';

/**
 * Zab's properties as named observers. The first seven are the DSN 2011 paper's (§III), the rest
 * the implementation-level invariants ZooKeeper's TLA+ specification checks. One tracker reads
 * each step once and keeps the run's record of what was proposed and delivered; each observer
 * reports its own property from that reading.
 */
export const ZAB_INVARIANTS = [
  /** "If some process delivers ⟨v, z⟩, then some process has broadcast ⟨v, z⟩." */
  'Integrity',
  /** "If some process p delivers ⟨v, z⟩ and some process q delivers ⟨v', z⟩, then v = v'." */
  'Agreement',
  /** "If some process delivers ⟨v, z⟩ before ⟨v', z'⟩, then any process that delivers ⟨v', z'⟩ must also deliver ⟨v, z⟩ and deliver it before ⟨v', z'⟩." */
  'Total order',
  /** "If a primary broadcasts ⟨v, z⟩ before ⟨v', z'⟩, then a process that delivers ⟨v', z'⟩ must also deliver ⟨v, z⟩ before it." */
  'Local primary order',
  /** "Let ⟨v, z⟩ and ⟨v', z'⟩ be broadcast by primaries of epochs e < e'. A process that delivers both must deliver ⟨v, z⟩ first." */
  'Global primary order',
  /** "If primary ρe broadcasts ⟨v, z⟩ and some process delivers ⟨v', z'⟩ broadcast by ρe' with e' < e, then ρe must deliver ⟨v', z'⟩ before it broadcasts ⟨v, z⟩." */
  'Primary integrity',
  /** TLA+: a server's committed history only grows (no committed txn is ever removed or undone). */
  'CommittedLogMonotonicity',
  /** TLA+: the committed histories of any two servers are prefixes of one another. */
  'PrefixConsistency',
  /** TLA+: an established leader's history holds every txn committed in an earlier epoch. */
  'LeaderLogCompleteness',
  /** TLA+: at most one leader establishes each epoch, so a zxid names one txn. */
  'SingleLeader',
  /** TLA+: a follower synchronized with an established leader of its epoch holds a prefix of the leader's history. */
  'ProcessConsistency',
] as const;

export type ZabInvariant = (typeof ZAB_INVARIANTS)[number];

/** How a txn's command reads in a violation message; commands are told apart by `sameCommand`. */
function commandKey(txn: Txn | undefined): string {
  if (txn === undefined) return 'none';
  const c = txn.command;
  return `c${c.clientId}#${c.sequence} ${c.operation.f} ${c.operation.key}`;
}

/** The same client command (a client's sequence number names one operation). Steps compare many; no strings are built. */
function sameCommand(a: Txn, b: Txn | undefined): boolean {
  if (a === b) return true;
  if (b === undefined) return false;
  const x = a.command;
  const y = b.command;
  return x.clientId === y.clientId && x.sequence === y.sequence && x.operation.f === y.operation.f && x.operation.key === y.operation.key;
}

/** What the run has proposed and delivered, and each node's view, kept across steps. */
export class ZabTracker {
  /**
   * Every delivered zxid in delivery order (index 0: the origin, 0). Deliveries extend it only
   * with higher zxids (Global primary order), so it is sorted and positions are found by search.
   */
  readonly order: Zxid[] = [0];
  /** The txn first delivered at each position of `order` (index 0: none). */
  private readonly orderTxn: (Txn | undefined)[] = [undefined];
  /**
   * Every proposed txn, by epoch then counter (zxids are above 2^31, so a map keyed by them
   * hashes a heap number per lookup; epochs and counters are small and dense).
   */
  private readonly proposed: (Txn[] | undefined)[] = [];
  readonly epochLeader = new Map<Epoch, NodeId>();
  /** Epoch → the commit point of its leader when it first proposed (Primary integrity). */
  readonly firstProposalCommit = new Map<Epoch, Zxid>();
  private highestProposingEpoch = 0;
  private readonly states: (ZabState | undefined)[] = [];
  private readonly lastDelivered: Zxid[] = [];
  /** Position in `order` of each node's last delivered zxid, when known: the common delivery is checked without a map lookup. */
  private readonly lastPosition: (number | undefined)[] = [];
  private readonly lastCommit: Zxid[] = [];
  violation: { invariant: ZabInvariant; detail: string } | undefined;

  process(view: ClusterView<ZabState>, node: NodeId): void {
    this.violation = undefined;
    const state = view.state(node);
    if (state === undefined) return;
    if (this.states[node] !== state) {
      // A new life: the server starts from its snapshot.
      this.states[node] = state;
      this.lastDelivered[node] = state.history.snapshotZxid;
      this.lastPosition[node] = this.positionOf(state.history.snapshotZxid);
      this.lastCommit[node] = state.commitZxid;
    }
    const step = state.step;
    if (step.removedFrom !== Infinity && step.removedFrom <= (this.lastCommit[node] as Zxid)) {
      return this.fail('CommittedLogMonotonicity', `server ${node} removed ${renderZxid(step.removedFrom)}, at or below its commit point ${renderZxid(this.lastCommit[node] as Zxid)}`);
    }
    if (state.commitZxid < (this.lastCommit[node] as Zxid)) {
      return this.fail('CommittedLogMonotonicity', `server ${node} commit point went back from ${renderZxid(this.lastCommit[node] as Zxid)} to ${renderZxid(state.commitZxid)}`);
    }
    if (step.established) this.checkEstablished(state);
    if (this.violation !== undefined) return;
    for (const txn of step.proposed) {
      this.recordProposal(state, txn);
      if (this.violation !== undefined) return;
    }
    if (step.installedSnapshot !== null) {
      const zxid = step.installedSnapshot.zxid;
      const at = this.positionOf(zxid);
      if (at === undefined) return this.fail('PrefixConsistency', `server ${node} installed a snapshot at ${renderZxid(zxid)}, which no server delivered`);
      this.lastDelivered[node] = zxid;
      this.lastPosition[node] = at;
    }
    for (const txn of step.applied) {
      this.recordDelivery(node, txn);
      if (this.violation !== undefined) return;
    }
    this.lastCommit[node] = state.commitZxid;
    if (state.role === 'following' && state.phase === 'broadcast') this.checkFollower(view, state);
  }

  /** Where `zxid` stands in the run's delivery order, if some server delivered it. */
  positionOf(zxid: Zxid): number | undefined {
    const order = this.order;
    let low = 0;
    let high = order.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const at = order[mid] as Zxid;
      if (at === zxid) return mid;
      if (at < zxid) low = mid + 1;
      else high = mid - 1;
    }
    return undefined;
  }

  private fail(invariant: ZabInvariant, detail: string): void {
    this.violation = { invariant, detail };
  }

  private checkEstablished(state: ZabState): void {
    const epoch = state.leader?.epoch ?? 0;
    const other = this.epochLeader.get(epoch);
    if (other !== undefined && other !== state.id) return this.fail('SingleLeader', `servers ${other} and ${state.id} both established epoch ${epoch}`);
    this.epochLeader.set(epoch, state.id);
    const history = state.history;
    for (let i = this.order.length - 1; i > 0; i--) {
      const zxid = this.order[i] as Zxid;
      if (zxid <= history.snapshotZxid) break;
      // A stale leader can finish establishing an old epoch (its ACKs were late) after a newer
      // epoch has committed; that later txn is not owed to it, as in the TLA+ specification,
      // which checks completeness only for txns committed before the leader's epoch.
      if (epochOf(zxid) >= epoch) continue;
      const txn = history.find(zxid);
      const committed = this.orderTxn[i] as Txn;
      if (!sameCommand(committed, txn)) {
        return this.fail('LeaderLogCompleteness', `server ${state.id} established epoch ${epoch} without committed txn ${renderZxid(zxid)} (${commandKey(committed)})`);
      }
    }
  }

  private recordProposal(state: ZabState, txn: Txn): void {
    const epoch = epochOf(txn.zxid);
    const ofEpoch = (this.proposed[epoch] ??= []);
    const counter = counterOf(txn.zxid);
    const earlier = ofEpoch[counter];
    if (earlier !== undefined && !sameCommand(txn, earlier)) return this.fail('SingleLeader', `zxid ${renderZxid(txn.zxid)} proposed twice: ${commandKey(earlier)}, then ${commandKey(txn)} by server ${state.id}`);
    ofEpoch[counter] = txn;
    if (!this.firstProposalCommit.has(epoch)) {
      this.firstProposalCommit.set(epoch, state.commitZxid);
      this.highestProposingEpoch = Math.max(this.highestProposingEpoch, epoch);
    }
  }

  private recordDelivery(node: NodeId, txn: Txn): void {
    const zxid = txn.zxid;
    // The common case: the node delivers the txn the run already delivered next after its last
    // one. That txn was checked against its proposal when first delivered, and a zxid's proposal
    // never changes (SingleLeader), so Integrity, Agreement and the order all hold.
    const at = this.lastPosition[node];
    if (at !== undefined && this.order[at + 1] === zxid && sameCommand(txn, this.orderTxn[at + 1])) {
      this.lastDelivered[node] = zxid;
      this.lastPosition[node] = at + 1;
      return;
    }
    this.recordFirstOrOddDelivery(node, txn);
  }

  private recordFirstOrOddDelivery(node: NodeId, txn: Txn): void {
    const zxid = txn.zxid;
    const proposed = this.proposed[epochOf(zxid)]?.[counterOf(zxid)];
    if (!sameCommand(txn, proposed)) return this.fail('Integrity', `server ${node} delivered ${renderZxid(zxid)} (${commandKey(txn)}), which no leader broadcast${proposed === undefined ? '' : ` (it broadcast ${commandKey(proposed)})`}`);
    const delivered = this.positionOf(zxid);
    const agreed = delivered === undefined ? undefined : this.orderTxn[delivered];
    if (agreed !== undefined && !sameCommand(txn, agreed)) return this.fail('Agreement', `server ${node} delivered ${renderZxid(zxid)} as ${commandKey(txn)}, another server as ${commandKey(agreed)}`);
    const previous = this.lastDelivered[node] as Zxid;
    const at = this.lastPosition[node] ?? this.positionOf(previous);
    if (at === undefined) return this.fail('PrefixConsistency', `server ${node} delivered ${renderZxid(zxid)} after ${renderZxid(previous)}, which no server delivered`);
    const next = this.order[at + 1];
    if (next === undefined) this.append(node, txn);
    else if (next !== zxid) {
      const invariant = delivered !== undefined ? 'Total order' : 'PrefixConsistency';
      return this.fail(invariant, `server ${node} delivered ${renderZxid(zxid)} after ${renderZxid(previous)}, where another server delivered ${renderZxid(next)}`);
    }
    if (this.violation !== undefined) return;
    this.lastDelivered[node] = zxid;
    this.lastPosition[node] = at + 1;
  }

  /** The first delivery of a txn anywhere extends the run's delivery order. */
  private append(node: NodeId, txn: Txn): void {
    const zxid = txn.zxid;
    const last = this.order[this.order.length - 1] as Zxid;
    if (zxid <= last && this.positionOf(zxid) !== undefined) return this.fail('Total order', `server ${node} delivered ${renderZxid(zxid)} again, out of order`);
    if (zxid <= last) return this.fail('Global primary order', `server ${node} delivered ${renderZxid(zxid)} after ${renderZxid(last)}`);
    const epoch = epochOf(zxid);
    const expected = epoch === epochOf(last) ? counterOf(last) + 1 : 1;
    if (counterOf(zxid) !== expected) {
      return this.fail('Local primary order', `server ${node} delivered ${renderZxid(zxid)} after ${renderZxid(last)}: the epoch ${epoch} primary's txn ${epoch}.${expected} comes first`);
    }
    if (epoch < this.highestProposingEpoch) {
      for (const [later, commit] of this.firstProposalCommit) {
        if (later > epoch && zxid > commit) {
          return this.fail('Primary integrity', `server ${node} delivered ${renderZxid(zxid)} of epoch ${epoch}, which the epoch ${later} primary had not delivered when it broadcast`);
        }
      }
    }
    this.order.push(zxid);
    this.orderTxn.push(txn);
  }

  private checkFollower(view: ClusterView<ZabState>, state: ZabState): void {
    const leaderId = state.leaderId;
    const leader = leaderId === null ? undefined : view.state(leaderId);
    if (leader === undefined || leader.role !== 'leading' || leader.leader?.epoch !== state.followingEpoch || !leader.leader.established) return;
    const last = state.history.lastZxid;
    if (last <= leader.history.snapshotZxid) return;
    const theirs = leader.history.find(last);
    // Right after a SNAP the follower's history ends at its snapshot point, not at a txn.
    const mine = last === state.history.snapshotZxid ? theirs : state.history.find(last);
    if (mine === undefined || !sameCommand(mine, theirs)) {
      this.fail('ProcessConsistency', `server ${state.id} follows ${leaderId} in epoch ${state.followingEpoch} but its last txn ${renderZxid(last)} is not the leader's`);
    }
  }
}

export function zabObservers(_options?: ZabOptions): Observer<ZabState>[] {
  const tracker = new ZabTracker();
  const safety = ZAB_INVARIANTS.map(
    (name, index): Observer<ZabState> => ({
      name,
      kind: 'always',
      afterStep(view, node) {
        if (index === 0) tracker.process(view, node);
        return tracker.violation?.invariant === name ? tracker.violation.detail : undefined;
      },
    }),
  );
  return [...safety, leaderEstablishedSometimes(), leaderAtEnd()];
}

/** Coverage: some leader was established during the run. */
function leaderEstablishedSometimes(): Observer<ZabState> {
  let established = false;
  return {
    name: 'Leader Established',
    kind: 'sometimes',
    afterStep(view, node) {
      if (!established && view.state(node)?.leader?.established === true) established = true;
      return undefined;
    },
    atEnd: () => (established ? undefined : 'no leader was ever established'),
  };
}

/** Liveness: at the end (after the heal), an established leader with a quorum following it. */
function leaderAtEnd(): Observer<ZabState> {
  return {
    name: 'Leader At End',
    kind: 'eventually',
    atEnd(view) {
      for (const node of view.nodes) {
        const state = view.state(node);
        if (state?.role !== 'leading' || state.leader?.established !== true) continue;
        let synced = 1;
        for (const other of view.nodes) {
          const peer = view.state(other);
          if (peer?.role === 'following' && peer.leaderId === node && peer.phase === 'broadcast') synced++;
        }
        if (synced >= state.quorum) return undefined;
      }
      return 'no established leader with a quorum of synchronized followers at the end';
    },
  };
}

interface Signature {
  state: ZabState;
  role: string;
  phase: string;
  commit: Zxid;
  last: Zxid;
}

/** Steps that changed nothing the observers read (a ping answered, a vote resent) are skipped. */
export function zabStepFilter(_options?: ZabOptions): StepFilter<ZabState> {
  const seen: (Signature | undefined)[] = [];
  return {
    matters(view, node) {
      const state = view.state(node);
      if (state === undefined) return true;
      const step = state.step;
      const last = seen[node];
      const quiet =
        last !== undefined &&
        last.state === state &&
        step.applied.length === 0 &&
        step.proposed.length === 0 &&
        step.removedFrom === Infinity &&
        !step.established &&
        step.installedSnapshot === null &&
        last.role === state.role &&
        last.phase === state.phase &&
        last.commit === state.commitZxid &&
        last.last === state.history.lastZxid;
      if (quiet) return false;
      if (last === undefined) seen[node] = { state, role: state.role, phase: state.phase, commit: state.commitZxid, last: state.history.lastZxid };
      else {
        // In place: a new signature per step would be most of what the observers allocate.
        last.state = state;
        last.role = state.role;
        last.phase = state.phase;
        last.commit = state.commitZxid;
        last.last = state.history.lastZxid;
      }
      return true;
    },
  };
}
