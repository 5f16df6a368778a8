import type { NodeId } from '../../protocol/effects.js';
import type { ClusterView, Observer } from '../../invariants/observer.js';
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
  return [
    electionSafety(),
    leaderAppendOnly(),
    logMatching(),
    leaderCompleteness(),
    stateMachineSafety(),
    committedEntriesSurvive(),
    leaderElectedSometimes(),
    leaderAtEnd(),
  ];
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
  return {
    name: 'Election Safety',
    kind: 'always',
    afterStep(view, node) {
      const state = view.state(node);
      if (state === undefined || state.role !== 'leader') return undefined;
      const leader = leaders.get(state.currentTerm);
      if (leader === undefined) leaders.set(state.currentTerm, node);
      else if (leader !== node) return `nodes ${leader} and ${node} are both leaders of term ${state.currentTerm}`;
      return undefined;
    },
  };
}

/** A leader never overwrites or deletes entries in its own log, only appends (Raft §5.3). */
function leaderAppendOnly(): Observer<RaftState> {
  const seen = new Map<NodeId, { term: Term; lastIndex: Index; lastTerm: Term }>();
  return {
    name: 'Leader Append-Only',
    kind: 'always',
    afterStep(view, node) {
      const state = view.state(node);
      if (state === undefined || state.role !== 'leader') {
        seen.delete(node);
        return undefined;
      }
      const log = state.log;
      const before = seen.get(node);
      seen.set(node, { term: state.currentTerm, lastIndex: log.lastIndex, lastTerm: log.lastTerm });
      if (before === undefined || before.term !== state.currentTerm) return undefined;
      if (log.lastIndex < before.lastIndex) return `leader ${node} shrank its log from ${before.lastIndex} to ${log.lastIndex}`;
      if (state.step.logChangedFrom <= before.lastIndex) {
        return `leader ${node} rewrote its log from index ${state.step.logChangedFrom} (it ended at ${before.lastIndex})`;
      }
      const term = log.term(before.lastIndex);
      if (term !== undefined && term !== before.lastTerm) {
        return `leader ${node} changed entry ${before.lastIndex} from term ${before.lastTerm} to ${term}`;
      }
      return undefined;
    },
    beforeCrash(_view, node) {
      seen.delete(node);
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
  // Per index, flattened records of [term, previousTerm, client, sequence].
  const records: number[][] = [];
  const fresh = new Set<NodeId>();
  function check(node: NodeId, entry: LogEntry, previousTerm: Term): string | undefined {
    let list = records[entry.index];
    if (list === undefined) {
      list = [];
      records[entry.index] = list;
    }
    for (let at = 0; at < list.length; at += 4) {
      if (list[at] !== entry.term) continue;
      if (list[at + 1] !== previousTerm) {
        return `node ${node} has ${entry.index}@${entry.term} after term ${previousTerm}, elsewhere after term ${list[at + 1]}`;
      }
      if (list[at + 2] !== clientOf(entry) || list[at + 3] !== sequenceOf(entry)) {
        return `node ${node} has ${renderEntry(entry)}, elsewhere ${entry.index}@${entry.term} holds c${list[at + 2]}#${list[at + 3]}`;
      }
      return undefined;
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
      const from = fresh.has(node) ? state.step.logChangedFrom : 0;
      fresh.add(node);
      for (let index = Math.max(from, log.firstIndex); index <= log.lastIndex; index++) {
        const violation = check(node, log.entry(index), log.term(index - 1) as Term);
        if (violation !== undefined) return violation;
      }
      return undefined;
    },
    beforeCrash(_view, node) {
      fresh.delete(node);
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
  private readonly commitSeen = new Map<NodeId, Index>();
  /** Term in which an index was first seen committed → the highest such index. */
  readonly highestByCommitTerm = new Map<Term, Index>();

  /** Records the node's newly committed entries; describes a conflict with the record, if any. */
  observe(node: NodeId, state: RaftState): string | undefined {
    const log = state.log;
    const seen = this.commitSeen.get(node) ?? log.snapshotIndex;
    const from = Math.max(seen, log.snapshotIndex) + 1;
    this.commitSeen.set(node, state.commitIndex);
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
    this.commitSeen.delete(node);
  }

  private noteCommitTerm(index: Index, term: Term): void {
    const highest = this.highestByCommitTerm.get(term) ?? 0;
    if (index > highest) this.highestByCommitTerm.set(term, index);
  }

  /** The highest index committed in a term below `term`, or 0. */
  highestCommittedBefore(term: Term): Index {
    let highest = 0;
    for (const [commitTerm, index] of this.highestByCommitTerm) if (commitTerm < term && index > highest) highest = index;
    return highest;
  }
}

/** A leader's log holds every entry committed in earlier terms (Raft §5.4). */
function leaderCompleteness(): Observer<RaftState> {
  const tracker = new CommitTracker();
  return {
    name: 'Leader Completeness',
    kind: 'always',
    afterStep(view, node) {
      const state = view.state(node);
      if (state === undefined) return undefined;
      tracker.observe(node, state);
      if (state.role !== 'leader') return undefined;
      const index = tracker.highestCommittedBefore(state.currentTerm);
      if (index === 0 || index <= state.log.snapshotIndex) return undefined;
      const term = state.log.term(index);
      if (term === tracker.committed.term(index)) return undefined;
      return `leader ${node} of term ${state.currentTerm} lacks committed entry ${tracker.committed.describe(index)} (has ${term === undefined ? 'nothing' : `term ${term}`})`;
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
 * not, ever commits (or restores a snapshot with) something else at that index. The record lives
 * in the observer, so it survives the crash of every node that held it.
 */
function committedEntriesSurvive(): Observer<RaftState> {
  const tracker = new CommitTracker();
  return {
    name: 'Committed Entries Survive Restarts',
    kind: 'always',
    afterStep(view, node) {
      const state = view.state(node);
      return state === undefined ? undefined : tracker.observe(node, state);
    },
    beforeCrash(_view, node) {
      tracker.forget(node);
      return undefined;
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
