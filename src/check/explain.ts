import type { AnyModel, PrecheckViolation } from './model.js';
import type { Operation } from './operation.js';
import type { BlockedOperation, Violation } from './result.js';
import { describeOperation } from './describe.js';
import { fail } from '../util/assert.js';

/** A violation already proven (by the unique-value fast path), with the sentence that says why. */
export interface KnownCause {
  readonly cause: string;
  readonly culprits: readonly number[];
}

/** The state after applying a linearizable prefix (ids) from the initial state. */
export function stateAfter(model: AnyModel, byId: ReadonlyMap<number, Operation>, prefix: readonly number[]): unknown {
  let state = model.init();
  for (const id of prefix) {
    const operation = byId.get(id) as Operation;
    const result = model.step(state, operation.input, operation.output);
    if (!result.legal) fail(`the recorded prefix is linearizable (operation ${id})`);
    state = result.next;
  }
  return state;
}

/**
 * Explains a violation from the deepest prefix the search reached: the state there, and every
 * operation that could have come next (invoked before the earliest pending return), with why
 * each one cannot.
 */
export function explainViolation(model: AnyModel, operations: readonly Operation[], prefix: readonly number[], precheck?: PrecheckViolation | KnownCause): Violation {
  const byId = new Map(operations.map((operation) => [operation.id, operation] as const));
  const state = stateAfter(model, byId, prefix);
  const stateDescription = model.describeState(state);
  let largestId = -1;
  for (const operation of operations) if (operation.id > largestId) largestId = operation.id;
  const done = new Uint8Array(largestId + 1);
  for (const id of prefix) done[id] = 1;
  const pending = operations.filter((operation) => done[operation.id] !== 1);
  const deadline = earliestReturn(pending);
  const next = pending.filter((operation) => deadline !== undefined && operation.callTime <= deadline.returnTime);
  const blocked: BlockedOperation[] = next.map((operation) => ({
    operationId: operation.id,
    description: describeOperation(model, operation),
    reason: model.step(state, operation.input, operation.output).legal
      ? 'legal here, but every way of continuing after it fails later'
      : `illegal in state ${stateDescription}`,
  }));
  const total = operations.length;
  let summary = `The longest linearizable prefix has ${prefix.length} of ${total} operations and ends in state ${stateDescription}.`;
  if (deadline !== undefined) {
    summary += ` ${describeOperation(model, deadline)} must take effect before it returns, so one of the ${next.length} operations invoked by then must come next, and none can.`;
  }
  if (precheck !== undefined && 'cause' in precheck) {
    return { prefix, stateDescription, blocked, summary: `${precheck.cause} ${summary}`, culprits: precheck.culprits };
  }
  if (precheck !== undefined) {
    const culprit = byId.get(precheck.operationId) as Operation;
    summary = `${describeOperation(model, culprit)} ${precheck.reason}, so no order of the operations is legal. ` + summary;
    return { prefix, stateDescription, blocked, summary, culprits: [precheck.operationId] };
  }
  return { prefix, stateDescription, blocked, summary };
}

function earliestReturn(operations: readonly Operation[]): Operation | undefined {
  let found: Operation | undefined;
  for (const operation of operations) {
    if (operation.outcome === 'info') continue;
    if (found === undefined || operation.returnTime < found.returnTime || (operation.returnTime === found.returnTime && operation.completionIndex < found.completionIndex)) {
      found = operation;
    }
  }
  return found;
}
