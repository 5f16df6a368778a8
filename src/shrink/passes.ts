import { type Micros, MICROS_PER_MS } from '../sim/time.js';
import type { CandidateRunner } from './candidate-runner.js';
import { ddmin } from './ddmin.js';
import type { EventScript, ScriptFault, ScriptOperation } from './event-script.js';
import type { FailureSignature } from './failure-signature.js';

/** One kind of reduction. It starts from `runner.best` and leaves its gains there. */
export interface Pass {
  name: string;
  run(runner: CandidateRunner, failure: FailureSignature): void;
}

/** Shrinking moves times in whole simulated milliseconds. */
const MS = MICROS_PER_MS;

/** Reductions tried in rounds, biggest cuts first, until a round changes nothing. */
export const SHRINK_PASSES: Pass[] = [
  { name: 'drop everything before the failure', run: dropPrefix },
  { name: 'drop faults', run: dropFaults },
  { name: 'drop clients', run: dropClients },
  { name: 'drop operations', run: dropOperations },
  { name: 'shorten fault windows', run: shortenWindows },
  { name: 'move everything earlier', run: shiftEarlier },
  { name: 'cut the run time', run: cutDuration },
  { name: 'drop the liveness phase', run: dropLiveness },
  { name: 'reduce nodes', run: reduceNodes },
  { name: 'quiet the network', run: quietNetwork },
];

/** Simplifications for the reader, tried once at the end. */
export const TIDY_PASSES: Pass[] = [
  { name: 'drop idle clients', run: dropIdleClients },
  { name: 'drop operation times', run: (runner) => void runner.keeps({ ...runner.best, clients: runner.best.clients.map((ops) => ops.map((op) => ({ ...op, at: undefined }))) }, 'no-more') },
];

/**
 * A client with no operations left shows as `- []` in the shrunk script. Dropping it renumbers the
 * clients after it, which can change the run; so: all idle clients at once, else the idle ones at
 * the end (no renumbering), else one at a time from the last, each kept only if the failure holds.
 */
function dropIdleClients(runner: CandidateRunner): void {
  const withoutIdle = (keep: (operations: ScriptOperation[], index: number) => boolean): EventScript => ({ ...runner.best, clients: runner.best.clients.filter(keep) });
  if (!runner.best.clients.some((operations) => operations.length === 0)) return;
  if (runner.best.clients.every((operations) => operations.length === 0)) return;
  if (runner.keeps(withoutIdle((operations) => operations.length > 0), 'no-more')) return;
  const lastBusy = runner.best.clients.findLastIndex((operations) => operations.length > 0);
  runner.keeps(withoutIdle((_, index) => index <= lastBusy), 'no-more');
  for (let index = runner.best.clients.length - 1; index >= 0; index--) {
    if (runner.best.clients[index]!.length === 0) runner.keeps(withoutIdle((_, other) => other !== index), 'no-more');
  }
}

/** The times things start: faults, and operations that say when. */
function startTimes(script: EventScript): Micros[] {
  const times = [...script.faults.map((fault) => fault.at), ...script.clients.flatMap((ops) => ops.flatMap((op) => (op.at === undefined ? [] : [op.at])))];
  return [...new Set(times)].sort((a, b) => a - b);
}

/** Binary search for the latest time before which every fault and operation can go. */
function dropPrefix(runner: CandidateRunner): void {
  const times = startTimes(runner.best);
  const before = (time: Micros): EventScript => ({
    ...runner.best,
    faults: runner.best.faults.filter((fault) => fault.at >= time),
    clients: runner.best.clients.map((ops) => ops.filter((op) => op.at === undefined || op.at >= time)),
  });
  let low = 0;
  let high = times.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (runner.keeps(before(times[middle]!))) low = middle;
    else high = middle - 1;
  }
}

function dropFaults(runner: CandidateRunner): void {
  ddmin(runner.best.faults, (faults) => runner.keeps({ ...runner.best, faults }));
}

function dropClients(runner: CandidateRunner): void {
  const busy = runner.best.clients.flatMap((ops, index) => (ops.length > 0 ? [index] : []));
  ddmin(busy, (kept) => runner.keeps({ ...runner.best, clients: runner.best.clients.map((ops, index) => (kept.includes(index) ? ops : [])) }));
}

function dropOperations(runner: CandidateRunner): void {
  const all = runner.best.clients.flatMap((ops, client) => ops.map((operation) => ({ client, operation })));
  ddmin(all, (kept) => {
    const clients: ScriptOperation[][] = runner.best.clients.map(() => []);
    for (const { client, operation } of kept) clients[client]!.push(operation);
    return runner.keeps({ ...runner.best, clients });
  });
}

/** Halves each fault's window while the failure holds (to whole milliseconds). */
function shortenWindows(runner: CandidateRunner): void {
  for (let index = 0; index < runner.best.faults.length; index++) {
    for (;;) {
      const fault = runner.best.faults[index]!;
      if (fault.duration === undefined || fault.duration <= MS) break;
      const shorter: ScriptFault = { ...fault, duration: Math.max(MS, Math.floor(fault.duration / 2 / MS) * MS) };
      if (!runner.keeps({ ...runner.best, faults: runner.best.faults.map((f, i) => (i === index ? shorter : f)) })) break;
    }
  }
}

/**
 * Moves every fault and operation earlier by the same amount, so the whole failure happens sooner:
 * the largest shift first, then halves of what is left (a binary decomposition of the shift).
 */
function shiftEarlier(runner: CandidateRunner): void {
  let first = startTimes(runner.best)[0] ?? 0;
  for (let shift = Math.floor(first / MS) * MS; shift >= MS; shift = Math.floor(shift / 2 / MS) * MS) {
    if (shift > first) continue;
    if (runner.keeps(shifted(runner.best, shift), 'fewer')) first -= shift;
  }
}

function shifted(script: EventScript, by: Micros): EventScript {
  return {
    ...script,
    duration: script.duration - by,
    faults: script.faults.map((fault) => ({ ...fault, at: fault.at - by })),
    clients: script.clients.map((ops) => ops.map((op) => ({ ...op, at: op.at === undefined ? undefined : op.at - by }))),
  };
}

/**
 * Ends the run sooner. A failure that stops the run (invariant, assertion, limit) tries ending
 * right where it struck; otherwise a binary search between the last scheduled thing and the end.
 */
function cutDuration(runner: CandidateRunner, failure: FailureSignature): void {
  const stops = failure.kind === 'invariant' || failure.kind === 'assertion' || failure.kind === 'internal' || failure.kind === 'limit';
  if (stops && runner.keeps(withDuration(runner.best, Math.ceil(runner.bestResult.simulatedTime / MS) * MS), 'no-more')) return;
  let low = Math.ceil((startTimes(runner.best).at(-1) ?? 0) / MS);
  let high = Math.floor(runner.best.duration / MS);
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (runner.keeps(withDuration(runner.best, middle * MS), 'fewer')) high = middle;
    else low = middle + 1;
  }
}

function withDuration(script: EventScript, duration: Micros): EventScript {
  return { ...script, duration: Math.max(MS, duration), faults: script.faults.filter((fault) => fault.at <= duration) };
}

function dropLiveness(runner: CandidateRunner, failure: FailureSignature): void {
  if (runner.best.liveness !== undefined && failure.kind !== 'liveness') runner.keeps({ ...runner.best, liveness: undefined });
}

/** Fewer nodes, down to the highest node a fault names: smallest cluster first. */
function reduceNodes(runner: CandidateRunner): void {
  const needed = Math.max(1, ...runner.best.faults.map((fault) => highestNode(fault.body) + 1));
  for (let nodes = needed; nodes < runner.best.nodes; nodes++) if (runner.keeps({ ...runner.best, nodes })) return;
}

const NODE_FIELDS = new Set(['node', 'minority', 'from', 'to', 'groups']);

function highestNode(value: unknown, underNodeField = false): number {
  if (typeof value === 'number') return underNodeField ? value : -1;
  if (Array.isArray(value)) return Math.max(-1, ...value.map((item) => highestNode(item, underNodeField)));
  if (typeof value !== 'object' || value === null) return -1;
  return Math.max(-1, ...Object.entries(value).map(([key, item]) => highestNode(item, NODE_FIELDS.has(key) || (underNodeField && key !== 'shape'))));
}

function quietNetwork(runner: CandidateRunner): void {
  const { loss: _loss, duplicate: _duplicate, reorder: _reorder, ...quiet } = runner.best.network;
  if (Object.keys(quiet).length < Object.keys(runner.best.network).length) runner.keeps({ ...runner.best, network: quiet });
}
