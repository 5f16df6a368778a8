import type { NodeId } from '../../protocol/effects.js';
import { fail } from '../../util/assert.js';

/**
 * A ballot is the pair (round, node id), ordered by round and then by node, packed into one
 * integer `round * BALLOT_NODES + node` so comparing two ballots is comparing two numbers. Two
 * nodes never share a ballot; a node never reuses one because its round is persisted before use.
 * Ballot 0 (round 0) is "none": no promise, nothing accepted.
 */
export type Ballot = number;

/** Node ids are below this (clusters are a handful of nodes). */
export const BALLOT_NODES = 1024;

export const NO_BALLOT: Ballot = 0;

export function makeBallot(round: number, node: NodeId): Ballot {
  if (!(Number.isInteger(round) && round >= 1)) fail(`ballot round must be a positive integer, got ${round}`);
  if (!(Number.isInteger(node) && node >= 0 && node < BALLOT_NODES)) fail(`node id ${node} does not fit a ballot`);
  return round * BALLOT_NODES + node;
}

export function ballotRound(ballot: Ballot): number {
  return Math.floor(ballot / BALLOT_NODES);
}

export function ballotNode(ballot: Ballot): NodeId {
  return ballot % BALLOT_NODES;
}

/** `3.1`: round 3 of node 1; `0` for none. */
export function renderBallot(ballot: Ballot): string {
  return ballot === NO_BALLOT ? '0' : `${ballotRound(ballot)}.${ballotNode(ballot)}`;
}
