import { checkConsistency } from '../check/consistency/check-consistency.js';
import type { ConsistencyModel } from '../check/consistency/models.js';
import { modelByName } from '../check/index.js';
import type { HistoryEvent } from '../history/operation.js';
import { InputError } from '../util/errors.js';
import { RUN_CHECK_TIMEOUT_MS, translateForModel } from './check-history.js';
import type { ConsistencySummary } from './run-result.js';

/**
 * The consistency ladder of a simulated history, for scenarios that say which model they promise
 * (`check: { consistency: sequential }`). Every model is checked, so that sweeps can count the
 * verdicts per model; the promised one decides the run's verdict.
 */
export function checkRunConsistency(history: readonly HistoryEvent[], modelName: string, promised: ConsistencyModel): ConsistencySummary {
  const model = modelByName(modelName);
  if (model === undefined) throw new InputError(`unknown linearizability model "${modelName}"`, undefined, undefined, undefined, 'check.linearizability');
  const report = checkConsistency(translateForModel(history, modelName), model, { timeoutMs: RUN_CHECK_TIMEOUT_MS });
  return {
    promised,
    model: modelName,
    strongest: [...report.strongest],
    elapsedMs: Math.round(report.elapsedMs),
    verdicts: report.verdicts.map((verdict) => {
      switch (verdict.verdict) {
        case 'holds':
          return { model: verdict.model, verdict: 'holds', detail: verdict.impliedBy === undefined ? '' : `implied by ${verdict.impliedBy}` };
        case 'violated':
          return { model: verdict.model, verdict: 'violated', detail: verdict.violation.summary };
        case 'unknown':
          return { model: verdict.model, verdict: 'unknown', detail: verdict.reason };
        default: {
          const never: never = verdict;
          return never;
        }
      }
    }),
  };
}
