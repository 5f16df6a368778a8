import type { RunResult } from '../run/run-result.js';
import { importFlags } from '../run/imported-modules.js';
import { runScenario } from '../run/run-scenario.js';
import { parseScenario } from '../scenario/load.js';
import { formatMicros, type Micros } from '../sim/time.js';
import { InputError } from '../util/errors.js';
import { captureRun } from './capture-run.js';
import { CandidateRunner, runCandidate, TimeUp, type CandidateProgress } from './candidate-runner.js';
import { scriptFromRun, scriptSize, scriptToYaml, type EventScript } from './event-script.js';
import { describeSignature, sameFailure, signatureOf, type FailureSignature } from './failure-signature.js';
import { SHRINK_PASSES, TIDY_PASSES, type Pass } from './passes.js';

export interface ShrinkOptions {
  /** Stop reducing after this long and keep the best so far; default 60 s. */
  timeLimitMs?: number;
  /** Called after every accepted reduction (and at the start of each pass). */
  onProgress?(progress: CandidateProgress): void;
  /** Where the original result came from, for the scenario's header comment. */
  source?: string;
  /** Where the header's reproduce command is meant to be typed (its `--import` paths are relative to it). */
  cwd?: string;
  /** Milliseconds since some fixed point; only read to honour the time limit. */
  clock?: () => number;
}

/** How big a run is, before and after. */
export interface RunSize {
  faults: number;
  operations: number;
  events: number;
  simulatedTime: Micros;
}

export interface ShrinkOutcome {
  failure: FailureSignature;
  /** The minimal scenario: runs on its own (fixed seed) and fails the same way. */
  yaml: string;
  result: RunResult;
  before: RunSize;
  after: RunSize;
  runs: number;
  timedOut: boolean;
}

const DEFAULT_TIME_LIMIT_MS = 60_000;
const ROUNDS_MAX = 8;

/**
 * Minimises a failing run while the same failure (verdict kind, and invariant name) still occurs:
 * the run becomes an explicit event script — the faults that happened with concrete nodes and
 * times, each client's operations — and passes of delta debugging cut it down, re-running the
 * fixed seed at every step. The time limit bounds the search; the best script found stands.
 */
export function shrinkRun(original: RunResult, options: ShrinkOptions = {}): ShrinkOutcome {
  const clock = options.clock ?? (() => performance.now()); // wall clock ok: the time limit only, never fed to a run
  const deadlineMs = clock() + (options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS);
  if (original.verdict.kind === 'pass') throw new InputError(`nothing to shrink: seed ${original.seed} passed`);
  const scenario = parseScenario(original.scenarioSource, original.scenarioFile ?? undefined);
  const replayed = runScenario(scenario, { seed: original.seed }).result;
  const failure = signatureOf(original);
  if (!sameFailure(signatureOf(replayed), failure)) {
    throw new InputError(`the run no longer fails the same way (${describeSignature(signatureOf(replayed))}, not ${describeSignature(failure)}): the protocol or faultline changed since it was recorded`);
  }
  const script = scriptFromRun(scenario, original.seed, captureRun(scenario, original.seed));
  const scriptResult = runCandidate(scriptToYaml(script));
  if (scriptResult === undefined || !sameFailure(signatureOf(scriptResult), failure)) {
    throw new InputError(`the run's explicit event script does not reproduce ${describeSignature(failure)} (it ends ${scriptResult?.verdict.kind ?? 'invalid'}); cannot shrink this run`);
  }
  const runner = new CandidateRunner(script, scriptResult, failure, deadlineMs, clock, options.onProgress ?? (() => undefined));
  const timedOut = !reduce(runner, options.onProgress);
  const yaml = scriptToYaml(runner.best, header(original, failure, options.source, options.cwd ?? process.cwd()));
  return {
    failure,
    yaml,
    result: runner.bestResult,
    before: { ...scriptSize(script), events: replayed.events, simulatedTime: replayed.simulatedTime },
    after: { ...scriptSize(runner.best), events: runner.bestResult.events, simulatedTime: runner.bestResult.simulatedTime },
    runs: runner.runs,
    timedOut,
  };
}

/** Rounds of every pass until one changes nothing; false when the time limit cut it short. */
function reduce(runner: CandidateRunner, onProgress: ShrinkOptions['onProgress']): boolean {
  try {
    for (let round = 0; round < ROUNDS_MAX; round++) {
      const acceptedBefore = runner.accepted;
      runPasses(runner, SHRINK_PASSES, onProgress);
      if (runner.accepted === acceptedBefore) break;
    }
    runPasses(runner, TIDY_PASSES, onProgress);
    return true;
  } catch (error) {
    if (error instanceof TimeUp) return false;
    throw error;
  }
}

function runPasses(runner: CandidateRunner, passes: readonly Pass[], onProgress: ShrinkOptions['onProgress']): void {
  for (const pass of passes) {
    runner.pass = pass.name;
    onProgress?.({ pass: pass.name, runs: runner.runs, accepted: runner.accepted, best: runner.bestResult });
    pass.run(runner, runnerFailure(runner));
  }
}

function runnerFailure(runner: CandidateRunner): FailureSignature {
  return signatureOf(runner.bestResult);
}

function header(original: RunResult, failure: FailureSignature, source: string | undefined, cwd: string): string[] {
  return [
    `Shrunk by faultline shrink from ${source ?? `${original.scenario} seed ${original.seed}`}.`,
    `Fails with ${describeSignature(failure)} (the scenario expects ${original.expected}); the original failed at ${formatMicros(original.simulatedTime)} after ${original.events} events.`,
    'Faults and client operations are explicit (workload.script); the seed fixes everything else.',
    `Reproduce: faultline run <this file>${importFlags(original.imports, cwd)}`,
  ];
}

export type { EventScript };
