/** The library API of faultline. The CLI is a thin layer over what is exported here. */
export * from './random/random-stream.js';
export * from './sim/time.js';
export * from './history/operation.js';
export * from './protocol/client-types.js';
export * from './protocol/effects.js';
export * from './protocol/protocol.js';
export * from './protocol/context.js';
export { defineOptions, integer, boolean, choice, noOptions, type OptionsSpec, type OptionFields, type OptionDescription } from './protocol/options.js';
export { describeProtocol, type ProtocolDescription } from './protocol/describe-protocol.js';
export * from './invariants/observer.js';
export * from './util/errors.js';
export { assert, AssertionFailure } from './util/assert.js';

// Runs, sweeps and shrinking for users' own tests (docs/sweep.md).
export { runScenario, type RunOptions } from './run/run-scenario.js';
export type { RunOutput, RunResult, Verdict } from './run/run-result.js';
export { readResultFile } from './run/replay.js';
export { loadScenarioFile, parseScenario } from './scenario/load.js';
export type { Scenario, VerdictKind } from './scenario/scenario.js';
export { registerProtocol } from './protocols/registry.js';
export { runSeeds, assertNoViolations, SweepFailure, type RunSeedsOptions } from './sweep/run-seeds.js';
export type { Divergence, ScenarioSummary, SeedRun, SweepStatus, SweepSummary, Totals } from './sweep/summary.js';
export { parseShard, shardRange, type SeedRange, type Shard } from './sweep/seed-range.js';
export { mergeShards, type ShardOutput } from './sweep/merge.js';
export { readSummaryFile, writeSweepFiles } from './sweep/sweep-files.js';
export { renderJunit } from './sweep/junit.js';
export { shrinkRun, type RunSize, type ShrinkOptions, type ShrinkOutcome } from './shrink/shrink.js';
export { replayResultFile, type ReplayReport } from './run/replay.js';
export { checkHistory, modelByName, modelNames, type CheckResult, type CheckedHistory } from './check/index.js';
export { raftProtocol } from './protocols/raft/index.js';
export { primaryBackupProtocol } from './protocols/primary-backup/index.js';
