import type { NodeId } from '../../protocol/effects.js';
import type { ClusterView, Observer, StepFilter } from '../../invariants/observer.js';
import { fail } from '../../util/assert.js';
import { ballotNode, renderBallot, type Ballot } from './ballot.js';
import type { AcceptedProposal, Proposal, Slot, Value } from './messages.js';
import type { PaxosOptions } from './options.js';
import type { PaxosState } from './state.js';

/**
 * Multi-Paxos's safety properties as observers. They read only what changed in a step
 * (`state.step`) and keep their own records outside the nodes, so those records survive every
 * crash. "Chosen" is computed from the acceptors, never from what any node believes: a value is
 * chosen in a slot once a majority of acceptors accepted it in one ballot.
 */
export function paxosObservers(_options?: PaxosOptions): Observer<PaxosState>[] {
  const tracker = new ChosenTracker();
  return [
    agreement(tracker),
    validity(tracker),
    chosenStability(tracker),
    promiseMonotonicity(),
    ballotUniqueness(),
    stateMachineSafety(),
    leaderElectedSometimes(),
    leaderAtEnd(),
  ];
}

/** What the observers read; a step that changed none of it is skipped. */
export function paxosStepFilter(_options?: PaxosOptions): StepFilter<PaxosState> {
  const seenState: (PaxosState | undefined)[] = [];
  const seenRole: string[] = [];
  const seenPromise: Ballot[] = [];
  // The highest promise heard from each acceptor, as Promise Monotonicity records it: a step whose
  // reports are all at or below it tells that observer nothing new (most accepted answers).
  const announced: Ballot[] = [];
  function newsIn(heard: number[]): boolean {
    let news = false;
    for (let at = 0; at < heard.length; at += 2) {
      const acceptor = heard[at] as NodeId;
      const ballot = heard[at + 1] as Ballot;
      if (ballot > (announced[acceptor] ?? 0)) {
        announced[acceptor] = ballot;
        news = true;
      }
    }
    return news;
  }
  return {
    matters(view, node) {
      const state = view.state(node);
      if (state === undefined) return true;
      const step = state.step;
      const quiet =
        seenState[node] === state &&
        seenRole[node] === state.role &&
        seenPromise[node] === state.promised &&
        step.accepted.length === 0 &&
        step.proposed.length === 0 &&
        step.applied.length === 0 &&
        !newsIn(step.heard) &&
        step.preparesReceived.length === 0 &&
        step.clientCommands.length === 0 &&
        step.startedBallot === 0 &&
        step.installedSnapshot === 0;
      seenState[node] = state;
      seenRole[node] = state.role;
      seenPromise[node] = state.promised;
      return !quiet;
    },
  };
}

/** A value's identity as two numbers: (client, sequence), or (-1, -1) for a no-op. */
function clientOf(value: Value): number {
  return value.kind === 'noop' ? -1 : value.clientId;
}

function sequenceOf(value: Value): number {
  return value.kind === 'noop' ? -1 : value.sequence;
}

function describeValue(client: number, sequence: number): string {
  return client === -1 ? 'noop' : `c${client}#${sequence}`;
}

/** One number per client command, for the set of commands clients sent (sequences stay far below 2^26). */
function commandId(client: number, sequence: number): number {
  return client * 67_108_864 + sequence;
}

/**
 * Per slot, per (ballot, value): the acceptors that accepted it, as a bit mask. The first
 * (ballot, value) seen in a slot lives in dense arrays; further ones (only where proposers
 * competed) in flattened [ballot, client, sequence, mask] records. Numbers only: this runs on
 * every acceptance and must not allocate.
 */
class ChosenTracker {
  private readonly ballots: Ballot[] = [];
  private readonly clients: number[] = [];
  private readonly sequences: number[] = [];
  private readonly masks: number[] = [];
  private readonly others = new Map<Slot, number[]>();
  /** Slot → the value chosen there first and the ballot it was chosen in (ballot undefined: not chosen). */
  readonly chosenBallot: Ballot[] = [];
  readonly chosenClient: number[] = [];
  readonly chosenSequence: number[] = [];
  /** Client commands some client sent (`commandId`). */
  readonly proposedByClients = new Set<number>();
  /** What the latest `observe` found: a conflict, and the slots newly chosen. */
  conflict: string | undefined;
  newlyChosen: Slot[] = [];
  lastObserved: NodeId = -1;

  observe(node: NodeId, state: PaxosState, quorum: number): void {
    this.lastObserved = node;
    this.conflict = undefined;
    if (this.newlyChosen.length > 0) this.newlyChosen = [];
    const commands = state.step.clientCommands;
    for (let i = 0; i < commands.length; i++) {
      const command = commands[i] as PaxosState['step']['clientCommands'][number];
      this.proposedByClients.add(commandId(command.clientId, command.sequence));
    }
    const accepted = state.step.accepted;
    for (let i = 0; i < accepted.length; i++) {
      const problem = this.record(node, accepted[i] as AcceptedProposal, quorum);
      if (problem !== undefined && this.conflict === undefined) this.conflict = problem;
    }
  }

  private record(node: NodeId, proposal: AcceptedProposal, quorum: number): string | undefined {
    if (node >= 31) fail(`node ${node} does not fit an acceptor mask`);
    const slot = proposal.slot;
    const client = clientOf(proposal.value);
    const sequence = sequenceOf(proposal.value);
    const bit = 1 << node;
    let mask: number;
    const first = this.ballots[slot];
    if (first === undefined) {
      this.ballots[slot] = proposal.ballot;
      this.clients[slot] = client;
      this.sequences[slot] = sequence;
      mask = bit;
      this.masks[slot] = mask;
    } else if (first === proposal.ballot && this.clients[slot] === client && this.sequences[slot] === sequence) {
      mask = (this.masks[slot] as number) | bit;
      this.masks[slot] = mask;
    } else {
      mask = this.recordOther(slot, proposal.ballot, client, sequence, bit);
    }
    if (countBits(mask) < quorum) return undefined;
    const chosen = this.chosenBallot[slot];
    if (chosen === undefined) {
      this.chosenBallot[slot] = proposal.ballot;
      this.chosenClient[slot] = client;
      this.chosenSequence[slot] = sequence;
      this.newlyChosen.push(slot);
      return undefined;
    }
    if (this.chosenClient[slot] === client && this.chosenSequence[slot] === sequence) return undefined;
    return `slot ${slot}: ${describeValue(this.chosenClient[slot] as number, this.chosenSequence[slot] as number)} was chosen in ballot ${renderBallot(chosen)}, now ${describeValue(client, sequence)} is chosen in ballot ${renderBallot(proposal.ballot)}`;
  }

  private recordOther(slot: Slot, ballot: Ballot, client: number, sequence: number, bit: number): number {
    let list = this.others.get(slot);
    if (list === undefined) {
      list = [];
      this.others.set(slot, list);
    }
    for (let at = 0; at < list.length; at += 4) {
      if (list[at] === ballot && list[at + 1] === client && list[at + 2] === sequence) {
        const mask = (list[at + 3] as number) | bit;
        list[at + 3] = mask;
        return mask;
      }
    }
    list.push(ballot, client, sequence, bit);
    return bit;
  }
}

function countBits(mask: number): number {
  let count = 0;
  for (let rest = mask; rest !== 0; rest &= rest - 1) count++;
  return count;
}

function quorumOf(view: ClusterView<PaxosState>): number {
  return Math.floor(view.nodes.length / 2) + 1;
}

/**
 * Agreement: at most one value is chosen per slot. "Only a single value is chosen" (Paxos Made
 * Simple §2.1), for each instance of the multi-decree protocol (§3).
 */
function agreement(tracker: ChosenTracker): Observer<PaxosState> {
  return {
    name: 'Agreement',
    kind: 'always',
    afterStep(view, node) {
      const state = view.state(node);
      if (state === undefined) return undefined;
      tracker.observe(node, state, quorumOf(view));
      return tracker.conflict;
    },
  };
}

/** Validity: "Only a value that has been proposed may be chosen" (§2.1): a client's command, or a no-op. */
function validity(tracker: ChosenTracker): Observer<PaxosState> {
  return {
    name: 'Validity',
    kind: 'always',
    afterStep(view, node) {
      if (view.state(node) === undefined) return undefined;
      if (tracker.lastObserved !== node) fail(`the chosen record did not observe node ${node}'s step`);
      for (const slot of tracker.newlyChosen) {
        const client = tracker.chosenClient[slot] as number;
        const sequence = tracker.chosenSequence[slot] as number;
        if (client !== -1 && !tracker.proposedByClients.has(commandId(client, sequence))) {
          return `slot ${slot}: ${describeValue(client, sequence)} was chosen, but no client sent it`;
        }
      }
      return undefined;
    },
  };
}

/**
 * Chosen stability: "If a proposal with value v is chosen, then every higher-numbered proposal
 * issued by any proposer has value v" (§2.2, P2c). Checked on every phase 2a a leader sends.
 */
function chosenStability(tracker: ChosenTracker): Observer<PaxosState> {
  return {
    name: 'Chosen Stability',
    kind: 'always',
    afterStep(view, node) {
      const state = view.state(node);
      if (state === undefined) return undefined;
      const proposed = state.step.proposed;
      for (let i = 0; i < proposed.length; i++) {
        const proposal = proposed[i] as AcceptedProposal;
        const slot = proposal.slot;
        const chosen = tracker.chosenBallot[slot];
        if (chosen === undefined || proposal.ballot < chosen) continue;
        const client = tracker.chosenClient[slot] as number;
        const sequence = tracker.chosenSequence[slot] as number;
        if (clientOf(proposal.value) !== client || sequenceOf(proposal.value) !== sequence) {
          return `node ${node} proposes ${describeValue(clientOf(proposal.value), sequenceOf(proposal.value))} in slot ${slot} at ballot ${renderBallot(proposal.ballot)}, but ${describeValue(client, sequence)} was chosen there at ballot ${renderBallot(chosen)}`;
        }
      }
      return undefined;
    },
  };
}

/**
 * Promise monotonicity: an acceptor "promises never again to accept a proposal numbered less
 * than n" (§2.2), so its promise never decreases — across crashes too, for every promise it has
 * told anyone about — and what it accepts is never above its promise.
 */
function promiseMonotonicity(): Observer<PaxosState> {
  // Per node: its promise at its last step in this incarnation (-1: none since it started), and
  // the highest promise anyone heard from it (survives its crashes).
  const last: Ballot[] = [];
  const announced: Ballot[] = [];
  return {
    name: 'Promise Monotonicity',
    kind: 'always',
    afterStep(view, node) {
      const state = view.state(node);
      if (state === undefined || state.quarantined !== null) return undefined;
      const heard = state.step.heard;
      for (let at = 0; at < heard.length; at += 2) {
        const acceptor = heard[at] as NodeId;
        const ballot = heard[at + 1] as Ballot;
        if (ballot > (announced[acceptor] ?? 0)) announced[acceptor] = ballot;
      }
      const previous = last[node] ?? -1;
      last[node] = state.promised;
      if (state.promised < previous) return `node ${node} lowered its promise from ${renderBallot(previous)} to ${renderBallot(state.promised)}`;
      const told = announced[node] ?? 0;
      if (state.promised < told) return `node ${node} promises ${renderBallot(state.promised)}, below the ${renderBallot(told)} it promised before`;
      for (const proposal of state.step.accepted) {
        if (proposal.ballot > state.promised) return `node ${node} accepted ballot ${renderBallot(proposal.ballot)} above its promise ${renderBallot(state.promised)}`;
      }
      // Peers' promises it heard of can be checked right away too.
      for (let at = 0; at < heard.length; at += 2) {
        const acceptor = heard[at] as NodeId;
        const live = view.state(acceptor);
        if (live !== undefined && live.quarantined === null && live.promised < (announced[acceptor] as Ballot)) {
          return `node ${acceptor} promises ${renderBallot(live.promised)}, below the ${renderBallot(announced[acceptor] as Ballot)} it promised before`;
        }
      }
      return undefined;
    },
    beforeCrash(_view, node) {
      last[node] = -1;
      return undefined;
    },
  };
}

/**
 * Ballots are unique: "different proposals have different numbers" (§2.2). Ballots carry the
 * proposer's id, so it is enough that a node never starts phase 1 again with a ballot it has
 * already announced (a prepare some acceptor received), including after a restart.
 */
function ballotUniqueness(): Observer<PaxosState> {
  const announced: Ballot[] = [];
  return {
    name: 'Ballot Uniqueness',
    kind: 'always',
    afterStep(view, node) {
      const state = view.state(node);
      if (state === undefined) return undefined;
      for (const ballot of state.step.preparesReceived) {
        const proposer = ballotNode(ballot);
        if (ballot > (announced[proposer] ?? 0)) announced[proposer] = ballot;
      }
      const started = state.step.startedBallot;
      if (started === 0) return undefined;
      if (ballotNode(started) !== node) return `node ${node} starts phase 1 with ballot ${renderBallot(started)} of node ${ballotNode(started)}`;
      const highest = announced[node] ?? 0;
      if (started <= highest) return `node ${node} starts phase 1 with ballot ${renderBallot(started)}, but it already announced ballot ${renderBallot(highest)}`;
      return undefined;
    },
  };
}

/**
 * State machine safety: no two nodes apply different commands in the same slot, and each node
 * applies slots in order without gaps (a snapshot may skip it ahead).
 */
function stateMachineSafety(): Observer<PaxosState> {
  const appliedClient: number[] = [];
  const appliedSequence: number[] = [];
  const appliedThrough: number[] = [];
  return {
    name: 'State Machine Safety',
    kind: 'always',
    afterStep(view, node) {
      const state = view.state(node);
      if (state === undefined) return undefined;
      const step = state.step;
      let through = appliedThrough[node] ?? -1;
      if (through < 0) through = state.applied - step.applied.length;
      if (step.installedSnapshot > 0) {
        if (step.installedSnapshot < through) return `node ${node} installs a snapshot at ${step.installedSnapshot} below its applied ${through}`;
        through = step.installedSnapshot;
      }
      const list = step.applied;
      for (let i = 0; i < list.length; i++) {
        const { slot, value } = list[i] as Proposal;
        if (slot !== through + 1) return `node ${node} applies slot ${slot} after slot ${through}`;
        through = slot;
        const client = clientOf(value);
        const sequence = sequenceOf(value);
        const other = appliedClient[slot];
        if (other === undefined) {
          appliedClient[slot] = client;
          appliedSequence[slot] = sequence;
        } else if (other !== client || appliedSequence[slot] !== sequence) {
          return `node ${node} applies ${describeValue(client, sequence)} in slot ${slot}, another node applied ${describeValue(other, appliedSequence[slot] as number)}`;
        }
      }
      appliedThrough[node] = through;
      return undefined;
    },
    beforeCrash(_view, node) {
      appliedThrough[node] = -1;
      return undefined;
    },
  };
}

function leaderElectedSometimes(): Observer<PaxosState> {
  let elected = false;
  return {
    name: 'Leader Elected',
    kind: 'sometimes',
    afterStep(view, node) {
      if (!elected && view.state(node)?.role === 'leader') elected = true;
      return undefined;
    },
    atEnd() {
      return elected ? undefined : 'no node ever completed phase 1';
    },
  };
}

/** Liveness: after the heal, exactly one live leader, holding the highest promise of any live node. */
function leaderAtEnd(): Observer<PaxosState> {
  return {
    name: 'Single Leader At End',
    kind: 'eventually',
    atEnd(view) {
      let highest = 0;
      const leaders: NodeId[] = [];
      let leaderBallot = 0;
      for (const node of view.nodes) {
        const state = view.state(node);
        if (state === undefined || state.quarantined !== null) continue;
        if (state.promised > highest) highest = state.promised;
        if (state.role === 'leader') {
          leaders.push(node);
          leaderBallot = state.ballot;
        }
      }
      if (leaders.length !== 1) return `${leaders.length} live leaders at the end (${leaders.join(', ') || 'none'})`;
      return leaderBallot === highest ? undefined : `leader ${leaders[0]} holds ballot ${renderBallot(leaderBallot)}, below the promise ${renderBallot(highest)}`;
    },
  };
}
