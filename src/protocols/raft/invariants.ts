import type { NodeId } from '../../protocol/effects.js';
import { fail } from '../../util/assert.js';
import type { ClusterView, Observer, StepFilter } from '../../invariants/observer.js';
import type { Index, LogEntry, Term } from './messages.js';
import type { RaftOptions } from './options.js';
import { renderEntry } from './render.js';
import type { RaftState } from './state.js';

/**
 * Raft's safety properties (Raft paper, Figure 3) as observers, plus durability across crashes.
 * Each keeps its own incremental record and reads only what changed in the step (`state.step`,
 * commit and applied indices), so they are cheap enough to run after every step.
 */
export function raftObservers(_options?: RaftOptions): Observer<RaftState>[] {
  // Both commit-based properties read one record of what is committed, kept by the first of them.
  const commits = new CommitTracker();
  return [
    electionSafety(),
    leaderAppendOnly(),
    logMatching(),
    leaderCompleteness(commits),
    stateMachineSafety(),
    committedEntriesSurvive(commits),
    leaderElectedSometimes(),
    leaderAtEnd(),
  ];
}

/**
 * The steps Raft's observers need to see: those that changed what any of them reads — the role,
 * term, vote, commit index, the log (its ends, its snapshot, or any entry: `step.logChangedFrom`),
 * what was applied, or the state itself (a restart). About three steps in four change none of it
 * (heartbeats and their acknowledgements, responses that move nothing), and every observer would
 * return at once on them. Leader Completeness also depends on commits seen at other nodes; it
 * checks every leader when those arrive, so it too needs only the leader's own changed steps.
 */
export function raftStepFilter(_options?: RaftOptions): StepFilter<RaftState> {
  // Per node, what the observers read as of its last step they saw (one record, updated in place).
  const seen: StepSignature[] = [];
  return {
    matters(view, node) {
      const state = view.state(node);
      if (state === undefined) return true;
      const log = state.log;
      const step = state.step;
      const last = seen[node];
      const quiet =
        last !== undefined &&
        step.logChangedFrom === Infinity &&
        step.applied.length === 0 &&
        step.installedSnapshot === null &&
        last.state === state &&
        last.role === state.role &&
        last.term === state.currentTerm &&
        last.vote === state.votedFor &&
        last.commit === state.commitIndex &&
        last.lastIndex === log.lastIndex &&
        last.lastTerm === log.lastTerm &&
        last.snapshot === log.snapshotIndex;
      if (quiet) return false;
      const record = last ?? ({} as StepSignature);
      record.state = state;
      record.role = state.role;
      record.term = state.currentTerm;
      record.vote = state.votedFor;
      record.commit = state.commitIndex;
      record.lastIndex = log.lastIndex;
      record.lastTerm = log.lastTerm;
      record.snapshot = log.snapshotIndex;
      seen[node] = record;
      return true;
    },
  };
}

interface StepSignature {
  state: RaftState;
  role: RaftState['role'];
  term: Term;
  vote: NodeId | null;
  commit: Index;
  lastIndex: Index;
  lastTerm: Term;
  snapshot: Index;
}

/** An entry's identity: its term and its command (client and sequence; -1 for a no-op). */
function clientOf(entry: LogEntry): number {
  return entry.command.kind === 'noop' ? -1 : entry.command.clientId;
}

function sequenceOf(entry: LogEntry): number {
  return entry.command.kind === 'noop' ? -1 : entry.command.sequence;
}

/** Index → the identity of the one entry allowed there (dense arrays: no allocation per entry). */
class EntryTable {
  private readonly terms: Term[] = [];
  private readonly clients: number[] = [];
  private readonly sequences: number[] = [];
  /** Highest index recorded. */
  maxIndex: Index = 0;

  has(index: Index): boolean {
    return this.terms[index] !== undefined;
  }

  term(index: Index): Term | undefined {
    return this.terms[index];
  }

  /** Records the entry, or describes how it differs from the one already recorded. */
  check(entry: LogEntry): string | undefined {
    const index = entry.index;
    const term = this.terms[index];
    if (term === undefined) {
      this.terms[index] = entry.term;
      this.clients[index] = clientOf(entry);
      this.sequences[index] = sequenceOf(entry);
      if (index > this.maxIndex) this.maxIndex = index;
      return undefined;
    }
    if (term === entry.term && this.clients[index] === clientOf(entry) && this.sequences[index] === sequenceOf(entry)) {
      return undefined;
    }
    return `index ${index} holds ${this.describe(index)}, now ${renderEntry(entry)}`;
  }

  describe(index: Index): string {
    const client = this.clients[index];
    return client === -1 ? `${index}@${this.terms[index]} noop` : `${index}@${this.terms[index]} c${client}#${this.sequences[index]}`;
  }
}

/** At most one leader per term (Raft §5.2). */
function electionSafety(): Observer<RaftState> {
  const leaders = new Map<Term, NodeId>();
  // Node → the latest term it is recorded as the leader of; a record never changes, so a leader
  // seen again in that term needs no lookup (most steps are a leader handling acknowledgements).
  const recordedTerm: Term[] = [];
  return {
    name: 'Election Safety',
    kind: 'always',
    afterStep(view, node) {
      const state = view.state(node);
      if (state === undefined || state.role !== 'leader') return undefined;
      if (recordedTerm[node] === state.currentTerm) return undefined;
      const leader = leaders.get(state.currentTerm);
      if (leader === undefined) leaders.set(state.currentTerm, node);
      else if (leader !== node) return `nodes ${leader} and ${node} are both leaders of term ${state.currentTerm}`;
      recordedTerm[node] = state.currentTerm;
      return undefined;
    },
  };
}

/** A leader never overwrites or deletes entries in its own log, only appends (Raft §5.3). */
function leaderAppendOnly(): Observer<RaftState> {
  // Per node, as it was after its previous step as leader (term -1: not a leader then). Plain
  // arrays indexed by node: this runs after every step and must not allocate.
  const seenTerm: Term[] = [];
  const seenLastIndex: Index[] = [];
  const seenLastTerm: Term[] = [];
  return {
    name: 'Leader Append-Only',
    kind: 'always',
    afterStep(view, node) {
      const state = view.state(node);
      if (state === undefined || state.role !== 'leader') {
        seenTerm[node] = -1;
        return undefined;
      }
      const log = state.log;
      const beforeTerm = seenTerm[node];
      const beforeLastIndex = seenLastIndex[node] as Index;
      const beforeLastTerm = seenLastTerm[node] as Term;
      seenTerm[node] = state.currentTerm;
      seenLastIndex[node] = log.lastIndex;
      seenLastTerm[node] = log.lastTerm;
      if (beforeTerm !== state.currentTerm) return undefined;
      if (log.lastIndex < beforeLastIndex) return `leader ${node} shrank its log from ${beforeLastIndex} to ${log.lastIndex}`;
      if (state.step.logChangedFrom <= beforeLastIndex) {
        return `leader ${node} rewrote its log from index ${state.step.logChangedFrom} (it ended at ${beforeLastIndex})`;
      }
      const term = log.term(beforeLastIndex);
      if (term !== undefined && term !== beforeLastTerm) {
        return `leader ${node} changed entry ${beforeLastIndex} from term ${beforeLastTerm} to ${term}`;
      }
      return undefined;
    },
    beforeCrash(_view, node) {
      seenTerm[node] = -1;
      return undefined;
    },
  };
}

/**
 * If two logs hold an entry with the same index and term, the logs are identical up to it
 * (Raft §5.3). Checked by induction: every (index, term) must always carry the same command and
 * follow the same previous term, wherever it appears.
 */
function logMatching(): Observer<RaftState> {
  // Per index, the first (index, term) seen there in dense arrays, and any later terms seen at the
  // same index (rare: only where logs diverged) as flattened [term, previousTerm, client, sequence]
  // records. One record per index in plain arrays, not an array per index: this lives all run.
  const terms: Term[] = [];
  const previousTerms: Term[] = [];
  const clients: number[] = [];
  const sequences: number[] = [];
  const otherTerms = new Map<Index, number[]>();
  // Node → whether its whole log was checked since it (re)started; after that, only changes are.
  const fresh: boolean[] = [];
  function compare(node: NodeId, entry: LogEntry, previousTerm: Term, recordedPrevious: Term, client: number, sequence: number): string | undefined {
    if (recordedPrevious !== previousTerm) {
      return `node ${node} has ${entry.index}@${entry.term} after term ${previousTerm}, elsewhere after term ${recordedPrevious}`;
    }
    if (client !== clientOf(entry) || sequence !== sequenceOf(entry)) {
      return `node ${node} has ${renderEntry(entry)}, elsewhere ${entry.index}@${entry.term} holds c${client}#${sequence}`;
    }
    return undefined;
  }
  function check(node: NodeId, entry: LogEntry, previousTerm: Term): string | undefined {
    const index = entry.index;
    const first = terms[index];
    if (first === undefined) {
      terms[index] = entry.term;
      previousTerms[index] = previousTerm;
      clients[index] = clientOf(entry);
      sequences[index] = sequenceOf(entry);
      return undefined;
    }
    if (first === entry.term) return compare(node, entry, previousTerm, previousTerms[index] as Term, clients[index] as number, sequences[index] as number);
    let list = otherTerms.get(index);
    if (list === undefined) {
      list = [];
      otherTerms.set(index, list);
    }
    for (let at = 0; at < list.length; at += 4) {
      if (list[at] === entry.term) return compare(node, entry, previousTerm, list[at + 1] as Term, list[at + 2] as number, list[at + 3] as number);
    }
    list.push(entry.term, previousTerm, clientOf(entry), sequenceOf(entry));
    return undefined;
  }
  return {
    name: 'Log Matching',
    kind: 'always',
    afterStep(view, node) {
      const state = view.state(node);
      if (state === undefined) return undefined;
      const log = state.log;
      const from = fresh[node] === true ? state.step.logChangedFrom : 0;
      fresh[node] = true;
      if (from > log.lastIndex) return undefined; // most steps: the log did not change
      for (let index = Math.max(from, log.firstIndex); index <= log.lastIndex; index++) {
        const violation = check(node, log.entry(index), log.term(index - 1) as Term);
        if (violation !== undefined) return violation;
      }
      return undefined;
    },
    beforeCrash(_view, node) {
      fresh[node] = false;
      return undefined;
    },
  };
}

/**
 * Tracks which entries are committed, from every node's commit index as it advances, and the
 * lowest term in which each was seen committed. Shared shape for the observers below.
 */
class CommitTracker {
  readonly committed = new EntryTable();
  /** What the latest `observe` found, for an observer that runs after the one that observes. */
  lastObservedNode: NodeId = -1;
  lastConflict: string | undefined;
  /** Counts indices newly seen committed: a change means leaders must be checked again. */
  version = 0;
  /** Node → the commit index it had at its last step (-1: none since it started). */
  private readonly commitSeen: Index[] = [];
  /** Term in which an index was first seen committed → the highest such index. */
  readonly highestByCommitTerm = new Map<Term, Index>();
  /** `highestCommittedBefore(cachedTerm)`, kept current as commits are noted (leaders ask every step). */
  private cachedTerm: Term = -1;
  private cachedHighest: Index = 0;

  /** Records the node's newly committed entries; a conflict with the record is `lastConflict`. */
  observe(node: NodeId, state: RaftState): void {
    this.lastObservedNode = node;
    this.lastConflict = this.record(node, state);
  }

  private record(node: NodeId, state: RaftState): string | undefined {
    const log = state.log;
    const recorded = this.commitSeen[node];
    const seen = recorded === undefined || recorded < 0 ? log.snapshotIndex : recorded;
    const from = Math.max(seen, log.snapshotIndex) + 1;
    this.commitSeen[node] = state.commitIndex;
    if (log.snapshotIndex > seen) {
      const known = this.committed.term(log.snapshotIndex);
      if (known !== undefined && known !== log.snapshotTerm) {
        return `node ${node} has a snapshot at ${log.snapshotIndex}@${log.snapshotTerm}, but ${this.committed.describe(log.snapshotIndex)} was committed`;
      }
    }
    for (let index = from; index <= state.commitIndex; index++) {
      const fresh = !this.committed.has(index);
      const conflict = this.committed.check(log.entry(index));
      if (conflict !== undefined) return `node ${node} commits a different entry: ${conflict}`;
      if (fresh) this.noteCommitTerm(index, state.currentTerm);
    }
    return undefined;
  }

  forget(node: NodeId): void {
    this.commitSeen[node] = -1;
  }

  private noteCommitTerm(index: Index, term: Term): void {
    this.version++;
    const highest = this.highestByCommitTerm.get(term) ?? 0;
    if (index > highest) this.highestByCommitTerm.set(term, index);
    if (term < this.cachedTerm && index > this.cachedHighest) this.cachedHighest = index;
  }

  /** The highest index committed in a term below `term`, or 0. */
  highestCommittedBefore(term: Term): Index {
    if (term === this.cachedTerm) return this.cachedHighest;
    let highest = 0;
    for (const [commitTerm, index] of this.highestByCommitTerm) if (commitTerm < term && index > highest) highest = index;
    this.cachedTerm = term;
    this.cachedHighest = highest;
    return highest;
  }
}

/**
 * A leader's log holds every entry committed in earlier terms (Raft §5.4). Checked when the
 * leader's own state changes and, for every leader, when newly committed entries are seen at any
 * node. Keeps the shared commit record: it observes every step the filter lets through, before
 * `committedEntriesSurvive` reads the outcome.
 */
function leaderCompleteness(tracker: CommitTracker): Observer<RaftState> {
  function lacking(node: NodeId, state: RaftState): string | undefined {
    const index = tracker.highestCommittedBefore(state.currentTerm);
    if (index === 0 || index <= state.log.snapshotIndex) return undefined;
    const term = state.log.term(index);
    if (term === tracker.committed.term(index)) return undefined;
    return `leader ${node} of term ${state.currentTerm} lacks committed entry ${tracker.committed.describe(index)} (has ${term === undefined ? 'nothing' : `term ${term}`})`;
  }
  return {
    name: 'Leader Completeness',
    kind: 'always',
    afterStep(view, node) {
      const state = view.state(node);
      if (state === undefined) return undefined;
      const known = tracker.version;
      tracker.observe(node, state);
      if (state.role === 'leader') {
        const problem = lacking(node, state);
        if (problem !== undefined) return problem;
      }
      if (tracker.version === known) return undefined;
      for (const other of view.nodes) {
        const leader = view.state(other);
        if (other === node || leader === undefined || leader.role !== 'leader') continue;
        const problem = lacking(other, leader);
        if (problem !== undefined) return problem;
      }
      return undefined;
    },
    beforeCrash(_view, node) {
      tracker.forget(node);
      return undefined;
    },
  };
}

/** No two nodes apply different commands at the same index (Raft §5.4.3). */
function stateMachineSafety(): Observer<RaftState> {
  const applied = new EntryTable();
  return {
    name: 'State Machine Safety',
    kind: 'always',
    afterStep(view, node) {
      const state = view.state(node);
      if (state === undefined) return undefined;
      const installed = state.step.installedSnapshot;
      if (installed !== null) {
        const term = applied.term(installed.index);
        if (term !== undefined && term !== installed.term) {
          return `node ${node} installs a snapshot at ${installed.index}@${installed.term}, but ${applied.describe(installed.index)} was applied`;
        }
      }
      for (const entry of state.step.applied) {
        const conflict = applied.check(entry);
        if (conflict !== undefined) return `node ${node} applies a different entry: ${conflict}`;
      }
      return undefined;
    },
  };
}

/**
 * Once committed, an entry stays committed through crashes and restarts: no node, restarted or
 * not, ever commits (or restores a snapshot with) something else at that index. The commit record
 * lives outside the nodes, so it survives the crash of every node that held it.
 */
function committedEntriesSurvive(tracker: CommitTracker): Observer<RaftState> {
  return {
    name: 'Committed Entries Survive Restarts',
    kind: 'always',
    afterStep(view, node) {
      if (view.state(node) === undefined) return undefined;
      // `leaderCompleteness` observed this very step just before (it comes first in the list).
      if (tracker.lastObservedNode !== node) fail(`the commit record did not observe node ${node}'s step`);
      return tracker.lastConflict;
    },
  };
}

/** Coverage: some node became leader during the run. */
function leaderElectedSometimes(): Observer<RaftState> {
  let elected = false;
  return {
    name: 'Leader Elected',
    kind: 'sometimes',
    afterStep(view, node) {
      if (!elected && view.state(node)?.role === 'leader') elected = true;
      return undefined;
    },
    atEnd() {
      return elected ? undefined : 'no node ever became leader';
    },
  };
}

/** Liveness: at the end (after faults heal), a live leader holds the highest live term. */
function leaderAtEnd(): Observer<RaftState> {
  return {
    name: 'Leader At End',
    kind: 'eventually',
    atEnd(view: ClusterView<RaftState>) {
      let highestTerm = 0;
      let leaderTerm = -1;
      for (const node of view.nodes) {
        const state = view.state(node);
        if (state === undefined) continue;
        highestTerm = Math.max(highestTerm, state.currentTerm);
        if (state.role === 'leader') leaderTerm = Math.max(leaderTerm, state.currentTerm);
      }
      return leaderTerm === highestTerm ? undefined : `no live leader of term ${highestTerm} at the end`;
    },
  };
}
