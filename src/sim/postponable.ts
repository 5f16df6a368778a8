import type { Micros } from './time.js';

/**
 * An event that can be moved later without being queued again: a host timer re-armed by every
 * heartbeat, a client's request deadline renewed by every attempt. Postponing records the new due
 * time with a sequence number reserved at once; when the event comes up at its old time it is
 * queued again at exactly that (time, sequence), the place a fresh push made at the postponement
 * would have given it. So the run is event for event the one eager re-queueing would give, with
 * one queued event where there would have been one per postponement, all but one of them dead.
 */
export interface Postponable {
  /** Where it sits in the queue now. */
  queuedAt: Micros;
  queuedSequence: number;
  /** Where it is due: the same as where it is queued unless postponed since. */
  dueAt: Micros;
  dueSequence: number;
}

/** What postponing needs of the scheduler. */
export interface PostponingQueue<E extends Postponable> {
  schedule(at: Micros, event: E): number;
  reserveSequence(): number;
  scheduleReserved(at: Micros, sequence: number, event: E): void;
}

/** Queues the event, not queued now, to be due at `at`. */
export function queueAt<E extends Postponable>(queue: PostponingQueue<NoInfer<E>>, event: E, at: Micros): void {
  event.queuedAt = at;
  event.dueAt = at;
  event.queuedSequence = queue.schedule(at, event);
  event.dueSequence = event.queuedSequence;
}

/**
 * Makes a queued event due at `at` instead, if that is no earlier than where it is queued, and
 * says whether it did; an earlier time needs a fresh event.
 */
export function postpone<E extends Postponable>(queue: PostponingQueue<NoInfer<E>>, event: E, at: Micros): boolean {
  if (at < event.queuedAt) return false;
  event.dueAt = at;
  event.dueSequence = queue.reserveSequence();
  return true;
}

/** On popping the event: true if it is due now; false if it was postponed (it is queued again). */
export function dueNow<E extends Postponable>(queue: PostponingQueue<NoInfer<E>>, event: E): boolean {
  if (event.dueSequence === event.queuedSequence) return true;
  event.queuedAt = event.dueAt;
  event.queuedSequence = event.dueSequence;
  queue.scheduleReserved(event.dueAt, event.dueSequence, event);
  return false;
}
