import type { HistoryEvent } from '../../history/operation.js';
import { assert, fail } from '../../util/assert.js';
import { TimeBudget } from '../budget.js';
import { checkOperations, type CheckedHistory } from '../check-history.js';
import { describeOperation } from '../describe.js';
import type { AnyModel } from '../model.js';
import type { Operation } from '../operation.js';
import { resolveCheckOptions, type CheckOptions } from '../options.js';
import { pairOperations } from '../pair-operations.js';
import type { FailSemantics } from '../semantics.js';
import type { HistorySource } from '../source.js';
import { causalOrder, type CausalOrder } from './causal-order.js';
import { checkCausal } from './causal.js';
import { consistencyModels, sessionGuarantees, unknownAnswer, weakerModels, type CheckAnswer, type ConsistencyModel, type ModelVerdict } from './models.js';
import { registerView } from './register-view.js';
import { checkSequential } from './sequential.js';
import { checkSessionGuarantee, type DescribeView } from './session-guarantees.js';

export interface ConsistencyOptions extends CheckOptions {
  /** The models to report, in any order; default all of them. */
  readonly models?: readonly ConsistencyModel[];
  readonly source?: HistorySource;
  /** What a `fail` completion means (see check/semantics.ts); default `observed`. */
  readonly failSemantics?: FailSemantics;
}

/** The ladder verdict: one verdict per requested model and the strongest models that hold. */
export interface ConsistencyReport {
  readonly dataModel: string;
  /** Requested models, strongest first. */
  readonly verdicts: readonly ModelVerdict[];
  /**
   * The strongest models that hold: the first of linearizable, sequential, causal that holds,
   * else every session guarantee that holds (they are incomparable); empty when none does.
   */
  readonly strongest: readonly ConsistencyModel[];
  /** The linearizability result, when it was computed (the HTML page draws it). */
  readonly linearizability: Omit<CheckedHistory, 'failSemantics'> | undefined;
  readonly operations: readonly Operation[];
  readonly ignoredCount: number;
  readonly elapsedMs: number;
}

/**
 * Checks a history against the consistency ladder with one data model (register, cas-register,
 * kv…). Cheap checks run first, and a verdict that follows from another is not searched for:
 * when linearizability holds, sequential consistency holds; when causality is violated,
 * sequential consistency is too. Such verdicts say which model implied them.
 */
export function checkConsistency(history: readonly HistoryEvent[], model: AnyModel, options: ConsistencyOptions = {}): ConsistencyReport {
  const paired = pairOperations(history, model, options.source, { failSemantics: options.failSemantics ?? 'observed' });
  return checkConsistencyOperations(paired.operations, model, options, paired.ignoredCount);
}

export function checkConsistencyOperations(operations: readonly Operation[], model: AnyModel, options: ConsistencyOptions = {}, ignoredCount = 0): ConsistencyReport {
  const resolved = resolveCheckOptions(options);
  const time = new TimeBudget(resolved.timeoutMs);
  const requested = new Set(options.models ?? consistencyModels);
  const known = new Map<ConsistencyModel, ModelVerdict>();
  const byId = new Map(operations.map((operation) => [operation.id, operation] as const));
  let linearizability: Omit<CheckedHistory, 'failSemantics'> | undefined;

  const record = (name: ConsistencyModel, answer: CheckAnswer, startMs: number): void => {
    const elapsedMs = time.elapsedMs() - startMs;
    known.set(name, answer.verdict === 'holds' ? { model: name, verdict: 'holds', elapsedMs } : answer.verdict === 'violated' ? { model: name, verdict: 'violated', violation: answer.violation, elapsedMs } : { model: name, verdict: 'unknown', reason: answer.reason, elapsedMs });
  };

  const needsCausalFamily = [...requested].some((name) => name !== 'linearizable');
  if (requested.has('linearizable') || requested.has('sequential')) {
    const start = time.elapsedMs();
    linearizability = checkOperations(operations, model, { time, memoryBytes: resolved.memoryBytes });
    record('linearizable', linearizabilityAnswer(linearizability), start);
  }
  if (needsCausalFamily) {
    const start = time.elapsedMs();
    const order = causalFamilyOrder(model, operations, resolved.memoryBytes);
    const describe: DescribeView = (op) => describeOperation(model, byId.get(order.kind === 'order' ? (order.order.view.ids[op] as number) : op) as Operation);
    if (order.kind === 'order') {
      record('causal', checkCausal(order.order, describe), start);
      for (const guarantee of sessionGuarantees) {
        if (requested.has(guarantee)) record(guarantee, checkSessionGuarantee(guarantee, order.order, describe), time.elapsedMs());
      }
    } else {
      for (const name of ['causal', ...sessionGuarantees] as const) known.set(name, { model: name, verdict: 'unknown', reason: order.reason, elapsedMs: 0 });
    }
  }
  if (requested.has('sequential')) {
    const decided = impliedVerdict('sequential', known);
    if (decided !== undefined) known.set('sequential', decided);
    else {
      const start = time.elapsedMs();
      record('sequential', checkSequential(model, operations, { time, memoryBytes: resolved.memoryBytes }).answer, start);
    }
  }
  for (const name of consistencyModels) {
    const verdict = known.get(name);
    if (verdict?.verdict !== 'unknown') continue;
    const implied = impliedVerdict(name, known);
    if (implied !== undefined) known.set(name, implied);
  }
  assertImplications(known);
  const verdicts = consistencyModels.filter((name) => requested.has(name)).map((name) => known.get(name) as ModelVerdict);
  return { dataModel: model.name, verdicts, strongest: strongestHolding(verdicts), linearizability, operations, ignoredCount, elapsedMs: time.elapsedMs() };
}

type OrderResult = { readonly kind: 'order'; readonly order: CausalOrder } | { readonly kind: 'unknown'; readonly reason: string };

function causalFamilyOrder(model: AnyModel, operations: readonly Operation[], memoryBytes: number): OrderResult {
  const view = registerView(model, operations);
  if (view.kind === 'unsupported') return { kind: 'unknown', reason: view.reason };
  // The clocks and the read prefixes of the session checks: two tables of the same size.
  const order = causalOrder(view.view, memoryBytes / 2);
  if (order.kind === 'too large') return { kind: 'unknown', reason: `memory budget: the vector clocks need ${Math.ceil((2 * order.bytes) / 2 ** 20)} MiB` };
  return order;
}

function linearizabilityAnswer(result: Omit<CheckedHistory, 'failSemantics'>): CheckAnswer {
  switch (result.verdict) {
    case 'linearizable':
      return { verdict: 'holds' };
    case 'not linearizable': {
      const partition = result.partitions.find((candidate) => candidate.verdict === 'not linearizable');
      assert(partition !== undefined && partition.verdict === 'not linearizable', 'a violating partition');
      const key = partition.key === '' ? '' : `key ${JSON.stringify(partition.key)}: `;
      return { verdict: 'violated', violation: { operations: partition.violation.blocked.map((blocked) => blocked.operationId), summary: key + partition.violation.summary } };
    }
    case 'unknown': {
      const partition = result.partitions.find((candidate) => candidate.verdict === 'unknown');
      return unknownAnswer(partition?.verdict === 'unknown' ? partition.reason : 'unknown');
    }
    default: {
      const never: never = result.verdict;
      return never;
    }
  }
}

/** A verdict that follows from known ones: a stronger model holds, or a weaker one is violated. */
function impliedVerdict(name: ConsistencyModel, known: ReadonlyMap<ConsistencyModel, ModelVerdict>): ModelVerdict | undefined {
  for (const stronger of consistencyModels) {
    const verdict = known.get(stronger);
    if (verdict?.verdict === 'holds' && verdict.impliedBy === undefined && weakerModels(stronger).includes(name)) return { model: name, verdict: 'holds', impliedBy: stronger, elapsedMs: 0 };
  }
  for (const weaker of weakerModels(name)) {
    const verdict = known.get(weaker);
    if (verdict?.verdict === 'violated' && verdict.impliedBy === undefined) {
      return { model: name, verdict: 'violated', impliedBy: weaker, violation: { operations: verdict.violation.operations, summary: `not ${weaker}, hence not ${name}: ${verdict.violation.summary}` }, elapsedMs: 0 };
    }
  }
  return undefined;
}

/** The ladder must be a ladder: a model that holds never implies one that is violated. */
function assertImplications(known: ReadonlyMap<ConsistencyModel, ModelVerdict>): void {
  for (const [name, verdict] of known) {
    if (verdict.verdict !== 'holds') continue;
    for (const weaker of weakerModels(name)) {
      if (known.get(weaker)?.verdict === 'violated') fail(`consistency checker bug: ${name} holds but ${weaker} is violated`);
    }
  }
}

export function strongestHolding(verdicts: readonly ModelVerdict[]): ConsistencyModel[] {
  for (const name of ['linearizable', 'sequential', 'causal'] as const) {
    if (verdicts.find((verdict) => verdict.model === name)?.verdict === 'holds') return [name];
  }
  return verdicts.filter((verdict) => verdict.verdict === 'holds' && (sessionGuarantees as readonly string[]).includes(verdict.model)).map((verdict) => verdict.model);
}
