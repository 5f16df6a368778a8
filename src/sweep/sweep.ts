import { join } from 'node:path';
import type { ImportedModule } from '../run/imported-modules.js';
import type { RunResult } from '../run/run-result.js';
import type { Scenario } from '../scenario/scenario.js';
import { secondPass } from './determinism.js';
import { Cancelled, type Executed, type RunExecutor } from './executor.js';
import { failureDirectoryFor, writeFailure } from './failure-files.js';
import type { MeasureSamples } from '../invariants/meter.js';
import { addRunMarks, sortedByName, type MarkTotals } from './marks.js';
import { seedsOf, shardRange, type SeedRange, type Shard } from './seed-range.js';
import { addTotals, poolMeasures, seedsPerSecond, totalsOf, type Divergence, type SeedRun, type SweepStatus, type SweepSummary } from './summary.js';
import { seedFailed, type RunTask } from './task.js';

export interface SweepPlan {
  /** Scenarios as they will run (swarm already applied to their text). */
  scenarios: Scenario[];
  /** The whole seed range; this sweep runs the shard's slice of it. */
  range: SeedRange;
  shard: Shard;
  swarm: boolean;
  checkDeterminism: boolean;
  skipLinearizability: boolean;
  /** Where failing seeds are written as they are found; nothing is written when undefined. */
  outDirectory: string | undefined;
  /** The modules that register the scenarios' protocols, recorded in every result and the summary. */
  imports: ImportedModule[];
  /**
   * How many failing seeds per scenario get their run report (report.html) written beside their
   * result.json (default `REPORTS_PER_SCENARIO_DEFAULT`; only when writing to `outDirectory`).
   */
  reportsPerScenario?: number;
}

/** Each report re-runs its seed with the trace kept: the first failures of a scenario get one, the rest can be rendered with `faultline report`. */
export const REPORTS_PER_SCENARIO_DEFAULT = 20;

export interface SweepListener {
  /** Called for every finished seed, in completion order. */
  onSeed?(scenario: string, run: SeedRun): void;
}

/** Divergences named down to the event (each costs two more traced runs); the rest get a window. */
const NAMED_DIVERGENCES_MAX = 3;

interface ScenarioState {
  id: number;
  scenario: Scenario;
  planned: SeedRange;
  runs: SeedRun[];
  marks: MarkTotals;
  /** Failing seeds whose report.html was written. */
  reports: number;
  measures: Record<string, MeasureSamples> | undefined;
}

/**
 * A sweep over seeds: the shard's slice of the range, for every scenario, spread over an executor.
 * Failing seeds are written as they are found; `summary()` can be taken at any moment (for
 * periodic snapshots and after an interruption) and is always a valid summary of what ran.
 */
export class Sweep {
  private readonly states: ScenarioState[];
  private readonly startedMs = performance.now(); // wall clock ok: seeds/s and progress only
  private status: SweepStatus = 'running';
  private stopReason: string | undefined;
  private namedDivergences = 0;
  private stopping = false;

  constructor(
    private readonly plan: SweepPlan,
    private readonly executor: RunExecutor,
    private readonly listener: SweepListener = {},
  ) {
    const planned = shardRange(plan.range, plan.shard);
    this.states = plan.scenarios.map((scenario, id) => ({ id, scenario, planned, runs: [], marks: {}, reports: 0, measures: undefined }));
    for (const state of this.states) executor.addScenario({ id: state.id, source: state.scenario.source, file: state.scenario.file });
  }

  /** Runs every planned seed, or until `signal` aborts; always resolves with a summary. */
  async run(signal?: AbortSignal): Promise<SweepSummary> {
    const work = this.workList();
    const stop = () => this.stop('interrupted', `interrupted (${typeof signal?.reason === 'string' ? signal.reason : 'SIGINT or abort'})`);
    if (signal?.aborted) stop();
    signal?.addEventListener('abort', stop, { once: true });
    const lanes = Array.from({ length: this.executor.size * 2 }, () => this.lane(work));
    await Promise.all(lanes);
    signal?.removeEventListener('abort', stop);
    if (this.status === 'running') this.status = 'complete';
    await this.executor.close();
    return this.summary();
  }

  summary(): SweepSummary {
    const wallMs = Math.round(performance.now() - this.startedMs); // wall clock ok: reported, never compared
    const scenarios = this.states.map((state) => {
      const runs = [...state.runs].sort((a, b) => a.seed - b.seed);
      return { name: state.scenario.name, file: state.scenario.file, expect: state.scenario.expect, planned: [state.planned], runs, totals: totalsOf(runs, state.planned.count), marks: sortedByName(structuredClone(state.marks)), ...(state.measures === undefined ? {} : { measures: structuredClone(state.measures) }) };
    });
    const totals = addTotals(scenarios.map((scenario) => scenario.totals));
    return {
      formatVersion: 1,
      kind: 'faultline-sweep',
      status: this.status,
      stopReason: this.stopReason,
      seeds: this.plan.range,
      shards: [this.plan.shard],
      swarm: this.plan.swarm,
      checkDeterminism: this.plan.checkDeterminism,
      imports: this.plan.imports,
      workers: this.executor.size,
      scenarios,
      totals,
      wallMs,
      seedsPerSecond: seedsPerSecond(totals.run, wallMs),
    };
  }

  private stop(status: 'interrupted' | 'error', reason: string): void {
    if (this.stopping) return;
    this.stopping = true;
    this.status = status;
    this.stopReason = reason;
    void this.executor.close();
  }

  private *workList(): Generator<{ state: ScenarioState; seed: number }> {
    for (const state of this.states) for (const seed of seedsOf(state.planned)) yield { state, seed };
  }

  /** One of several loops that each keep one seed in flight; together they keep every worker busy. */
  private async lane(work: Generator<{ state: ScenarioState; seed: number }>): Promise<void> {
    for (let next = work.next(); !next.done && !this.stopping; next = work.next()) {
      try {
        await this.runSeed(next.value.state, next.value.seed);
      } catch (error) {
        if (error instanceof Cancelled) return;
        this.stop('error', `seed ${next.value.seed} of ${next.value.state.scenario.name}: ${(error as Error).message}`);
        return;
      }
    }
  }

  private async runSeed(state: ScenarioState, seed: number): Promise<void> {
    const task: Omit<RunTask, 'taskId'> = { scenarioId: state.id, seed, skipLinearizability: this.plan.skipLinearizability, traceLines: false, reportIfFailed: this.wantsReport(state) };
    const first = await this.executor.run(task, { kind: 'any' });
    const result: RunResult = { ...first.reply.result, scenarioSource: state.scenario.source, imports: this.plan.imports };
    let failureDirectory = seedFailed(result) ? this.record(state, result, first, undefined) : undefined;
    let divergence: Divergence | undefined;
    if (this.plan.checkDeterminism) {
      const name = this.namedDivergences < NAMED_DIVERGENCES_MAX;
      divergence = await secondPass(this.executor, task, first, name).catch((error: unknown) => {
        if (error instanceof Cancelled) return undefined; // stopping: keep the first pass, unchecked
        throw error;
      });
      if (divergence !== undefined) {
        if (name && divergence.eventIndex !== undefined) this.namedDivergences++;
        failureDirectory = this.record(state, result, first, divergence);
      }
    }
    const run = seedRun(result, failureDirectory, divergence);
    state.runs.push(run);
    addRunMarks(state.marks, result.marks);
    if (result.measures !== undefined) poolMeasures((state.measures ??= {}), result.measures);
    this.listener.onSeed?.(state.scenario.name, run);
  }

  private wantsReport(state: ScenarioState): boolean {
    return this.plan.outDirectory !== undefined && state.reports < (this.plan.reportsPerScenario ?? REPORTS_PER_SCENARIO_DEFAULT);
  }

  private record(state: ScenarioState, result: RunResult, first: Executed, divergence: Divergence | undefined): string | undefined {
    const out = this.plan.outDirectory;
    if (out === undefined) return undefined;
    const relative = failureDirectoryFor(state.scenario.name, result.seed);
    // Tasks in flight when the budget ran out may still bring a report: keep to the budget.
    const report = first.reply.reportHtml !== undefined && this.wantsReport(state) ? first.reply.reportHtml : undefined;
    if (report !== undefined && divergence === undefined) state.reports++;
    writeFailure(join(out, relative), result, first.reply.history, divergence, report);
    return relative;
  }
}

function seedRun(result: RunResult, failureDirectory: string | undefined, divergence: Divergence | undefined): SeedRun {
  const failed = seedFailed(result) || divergence !== undefined;
  return {
    seed: result.seed,
    verdict: result.verdict.kind,
    expected: result.expected,
    detail: failed ? result.verdict.detail : '',
    traceHash: result.traceHash,
    events: result.events,
    simulatedTime: result.simulatedTime,
    wallMs: result.wallMs,
    failed,
    failureDirectory,
    divergence,
    ...(result.consistency === undefined && result.convergence === undefined ? {} : { consistency: modelVerdicts(result) }),
  };
}

/** Each promised model's verdict on this seed, convergence counted as one more model. */
function modelVerdicts(result: RunResult): Record<string, 'holds' | 'violated' | 'unknown'> {
  const verdicts: Record<string, 'holds' | 'violated' | 'unknown'> = Object.fromEntries((result.consistency?.verdicts ?? []).map((verdict) => [verdict.model, verdict.verdict]));
  if (result.convergence !== undefined) verdicts['convergence'] = result.convergence.verdict;
  return verdicts;
}
