import type { RunResult } from '../run/run-result.js';
import { runScenario } from '../run/run-scenario.js';
import { parseScenario } from '../scenario/load.js';
import { unreachable } from '../util/assert.js';
import { InputError } from '../util/errors.js';
import { scriptToYaml, type EventScript } from './event-script.js';
import { sameFailure, signatureOf, type FailureSignature } from './failure-signature.js';

/** Thrown out of a pass when the time limit is reached; the best script so far stands. */
export class TimeUp extends Error {
  override readonly name = 'TimeUp';
}

export interface CandidateProgress {
  pass: string;
  runs: number;
  accepted: number;
  best: RunResult;
}

/**
 * Tries candidate scripts: each becomes scenario YAML, is parsed as a user's file would be, and
 * runs with the fixed seed. A candidate that shows the same failure becomes the best script.
 * Outcomes are cached by YAML text; the clock is only read to honour the time limit.
 */
export class CandidateRunner {
  best: EventScript;
  bestResult: RunResult;
  runs = 0;
  accepted = 0;
  pass = 'start';
  private readonly outcomes = new Map<string, boolean>();

  constructor(
    initial: EventScript,
    initialResult: RunResult,
    private readonly failure: FailureSignature,
    private readonly deadlineMs: number,
    private readonly clock: () => number,
    private readonly onProgress: (progress: CandidateProgress) => void,
  ) {
    this.best = initial;
    this.bestResult = initialResult;
  }

  /**
   * True (and adopted as the best) when `candidate` still fails the same way — and, for passes
   * that aim at the run's length, with fewer (or no more) events than the best so far.
   */
  keeps(candidate: EventScript, events: EventRequirement = 'any'): boolean {
    const yaml = scriptToYaml(candidate);
    const known = this.outcomes.get(yaml);
    if (known !== undefined) return known;
    if (this.clock() > this.deadlineMs) throw new TimeUp('time limit reached');
    this.runs++;
    const result = runCandidate(yaml);
    const kept = result !== undefined && sameFailure(signatureOf(result), this.failure) && meets(events, result.events, this.bestResult.events);
    this.outcomes.set(yaml, kept);
    if (kept) {
      this.best = candidate;
      this.bestResult = result!;
      this.accepted++;
    }
    // After every run, kept or not: a terminal shows the runs tried as they go.
    this.onProgress({ pass: this.pass, runs: this.runs, accepted: this.accepted, best: this.bestResult });
    return kept;
  }
}

export type EventRequirement = 'any' | 'fewer' | 'no-more';

function meets(requirement: EventRequirement, events: number, bestEvents: number): boolean {
  switch (requirement) {
    case 'any':
      return true;
    case 'fewer':
      return events < bestEvents;
    case 'no-more':
      return events <= bestEvents;
    default:
      return unreachable(requirement, 'event requirement');
  }
}

/** Runs scenario text; undefined when the text is not a valid scenario (a reduction went too far). */
export function runCandidate(yaml: string): RunResult | undefined {
  let scenario;
  try {
    scenario = parseScenario(yaml, 'shrink-candidate.yaml');
  } catch (error) {
    if (error instanceof InputError) return undefined;
    throw error;
  }
  return runScenario(scenario).result;
}
