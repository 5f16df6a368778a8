/**
 * The linearizability checker: a pure library, independent of the simulator. The simulator
 * calls `checkHistory(history, modelByName('cas-register')!, { timeoutMs })` on its recorded
 * history; `faultline check` does the same on a parsed file.
 */
export { checkHistory, checkOperations, type CheckHistoryOptions, type CheckedHistory } from './check-history.js';
export { TimeBudget } from './budget.js';
export { checkCandidate, type CandidateCheck } from './certificate.js';
export { decideByZones, type ZoneDecision } from './zones.js';
export { describeOperation } from './describe.js';
export { illegal, legal, type AnyModel, type Decoded, type Model, type PrecheckViolation, type RawCall, type StepResult } from './model.js';
export { modelByName, modelNames, models } from './models/registry.js';
export { configuredModel } from './models/configured-model.js';
export { nilReadsNames, type NilReads, type RegisterOptions } from './models/model-options.js';
export { defaultFailSemantics, describeFailSemantics, failSemanticsNames, type FailSemantics } from './semantics.js';
export { isIndeterminate, type Operation, type Outcome } from './operation.js';
export { defaultMemoryMb, defaultTimeoutMs, resolveCheckOptions, type CheckOptions } from './options.js';
export { pairOperations, type PairedHistory } from './pair-operations.js';
export { combineVerdicts, type BlockedOperation, type CheckResult, type DecidedBy, type PartitionResult, type UnknownReason, type Verdict, type Violation } from './result.js';
export type { HistorySource } from './source.js';
export { historyFormats, parseHistoryFile, parseHistoryText, type HistoryFormat, type ParsedHistory } from './parse/parse-history.js';
export { checkConsistency, checkConsistencyOperations, type ConsistencyOptions, type ConsistencyReport } from './consistency/check-consistency.js';
export { consistencyModels, isConsistencyModel, sessionGuarantees, type ConsistencyModel, type ModelVerdict } from './consistency/models.js';
