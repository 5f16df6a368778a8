import { unreachable } from '../util/assert.js';
import type { HistoryFormat } from './parse/parsed-history.js';

/**
 * What a `fail` completion means. Jepsen: the operation did not happen, so it is dropped
 * (`absent`). Porcupine's etcd model: a failed cas compared and did not match, so it is kept as
 * an observation that the register did not hold the expected value (`observed`); each model
 * decides which of its failed operations observe something (a failed write never does).
 */
export type FailSemantics = 'absent' | 'observed';
export const failSemanticsNames: readonly FailSemantics[] = ['absent', 'observed'];

/** Jepsen's rule for Jepsen histories; today's (Porcupine's) rule everywhere else. */
export function defaultFailSemantics(format: HistoryFormat | undefined): FailSemantics {
  switch (format) {
    case 'edn':
      return 'absent';
    case 'jsonl':
    case 'porcupine-etcd':
    case 'porcupine-kv':
    case undefined:
      return 'observed';
    default:
      return unreachable(format, 'history format');
  }
}

/** One line for the report: which rule decided what a failed operation means. */
export function describeFailSemantics(semantics: FailSemantics): string {
  switch (semantics) {
    case 'absent':
      return 'absent (Jepsen: a :fail operation did not happen and is left out)';
    case 'observed':
      return 'observed (Porcupine etcd: a failed cas is kept as an observation that the value differed)';
    default:
      return unreachable(semantics, 'fail semantics');
  }
}
