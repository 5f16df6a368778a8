import { UNAVAILABLE, type HistoryEvent, type Json } from '../history/operation.js';
import { assert, unreachable } from '../util/assert.js';
import type { AnyModel } from './model.js';
import type { Operation, Outcome } from './operation.js';
import type { FailSemantics } from './semantics.js';
import { errorAt, type HistorySource } from './source.js';

/** Operations decoded for a model, plus what was left out and why. */
export interface PairedHistory {
  readonly operations: Operation[];
  /** Operations the model ignores: failed ones, indeterminate reads and the like. */
  readonly ignoredCount: number;
}

export interface PairOptions {
  /** What a `fail` completion means (default `observed`: each model decides, today's rule). */
  readonly failSemantics?: FailSemantics;
}

interface OpenCall {
  readonly invokeIndex: number;
  readonly event: HistoryEvent;
}

interface ClosedCall {
  readonly open: OpenCall;
  readonly completionIndex: number;
  readonly completion: HistoryEvent | undefined;
  readonly outcome: Outcome;
}

/**
 * Pairs every invocation with its process's next completion and decodes the pair with the
 * model. Malformed histories are errors, never silently repaired: a completion without an
 * invocation, a second invocation while one is open, a completion for another function or key,
 * an unknown function, values the model cannot read. An invocation that never completes is
 * indeterminate (`info`), as in Jepsen.
 */
export function pairOperations(history: readonly HistoryEvent[], model: AnyModel, source: HistorySource = {}, options: PairOptions = {}): PairedHistory {
  const open = new Map<number, OpenCall>();
  const closed: ClosedCall[] = [];
  let previousTime = -Infinity;
  for (let index = 0; index < history.length; index++) {
    const event = history[index] as HistoryEvent;
    if (event.time < previousTime) {
      throw errorAt(source, index, `time ${event.time} goes backwards (previous event at ${previousTime}); expected events in time order`);
    }
    previousTime = event.time;
    if (event.type === 'invoke') {
      acceptInvocation(open, event, index, model, source);
      continue;
    }
    const call = open.get(event.process);
    if (call === undefined) {
      throw errorAt(source, index, `:${event.type} completion for process ${event.process} without a matching invocation`);
    }
    checkCompletionMatches(call, event, index, source);
    open.delete(event.process);
    closed.push({ open: call, completionIndex: index, completion: event, outcome: event.type });
  }
  for (const call of open.values()) {
    closed.push({ open: call, completionIndex: -1, completion: undefined, outcome: 'info' });
  }
  closed.sort((a, b) => a.open.invokeIndex - b.open.invokeIndex);
  return decodeAll(closed, model, source, options.failSemantics ?? 'observed');
}

function acceptInvocation(open: Map<number, OpenCall>, event: HistoryEvent, index: number, model: AnyModel, source: HistorySource): void {
  const previous = open.get(event.process);
  if (previous !== undefined) {
    const previousLine = source.lines?.[previous.invokeIndex];
    const where = previousLine === undefined ? `event ${previous.invokeIndex + 1}` : `line ${previousLine}`;
    throw errorAt(source, index, `process ${event.process} invokes :${event.f} while its :${previous.event.f} from ${where} is still open; expected a completion first`);
  }
  if (!model.functions.includes(event.f)) {
    throw errorAt(source, index, `unknown function :${event.f} for model ${model.name}; expected one of ${model.functions.map((f) => ':' + f).join(', ')}`);
  }
  open.set(event.process, { invokeIndex: index, event });
}

function checkCompletionMatches(call: OpenCall, event: HistoryEvent, index: number, source: HistorySource): void {
  if (event.f !== call.event.f) {
    throw errorAt(source, index, `process ${event.process} completes :${event.f} but invoked :${call.event.f}; expected a matching completion`);
  }
  if (event.key !== undefined && call.event.key !== undefined && event.key !== call.event.key) {
    throw errorAt(source, index, `process ${event.process} completes key ${JSON.stringify(event.key)} but invoked key ${JSON.stringify(call.event.key)}`);
  }
}

function decodeAll(closed: readonly ClosedCall[], model: AnyModel, source: HistorySource, failSemantics: FailSemantics): PairedHistory {
  const operations: Operation[] = [];
  let ignoredCount = 0;
  for (const call of closed) {
    const invoke = call.open.event;
    if (call.outcome === 'fail' && call.completion?.error === UNAVAILABLE) {
      // No node evaluated it: it changed nothing and observed nothing (unlike a failed cas).
      ignoredCount++;
      continue;
    }
    if (call.outcome === 'fail' && failSemantics === 'absent') {
      // Jepsen: a failed operation did not happen, so it neither changed nor observed anything.
      ignoredCount++;
      continue;
    }
    const completionValue: Json | undefined = call.completion?.value;
    const decoded = model.decode({ process: invoke.process, f: invoke.f, invokeValue: invoke.value, completionValue, outcome: call.outcome });
    switch (decoded.kind) {
      case 'ignored':
        ignoredCount++;
        break;
      case 'invalid': {
        const at = call.completionIndex >= 0 ? call.completionIndex : call.open.invokeIndex;
        throw errorAt(source, at, `:${invoke.f} with value ${JSON.stringify(invoke.value)}${completionValue === undefined ? '' : ` completed as ${JSON.stringify(completionValue)}`}: expected ${decoded.expected}`);
      }
      case 'operation':
        assert(call.outcome !== 'info' || decoded.output === undefined, 'an indeterminate operation has no output');
        operations.push({
          id: operations.length,
          process: invoke.process,
          key: invoke.key ?? call.completion?.key ?? '',
          f: invoke.f,
          input: decoded.input,
          output: decoded.output,
          outcome: call.outcome,
          callTime: invoke.time,
          returnTime: call.outcome === 'info' ? Infinity : (call.completion as HistoryEvent).time,
          invokeIndex: call.open.invokeIndex,
          completionIndex: call.completionIndex,
          invokeValue: invoke.value,
          completionValue,
        });
        break;
      default:
        unreachable(decoded, 'decoded operation');
    }
  }
  return { operations, ignoredCount };
}
