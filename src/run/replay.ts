import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findProtocol } from '../protocols/registry.js';
import { parseScenario } from '../scenario/load.js';
import { renderMessageGeneric, renderTraceEvent } from '../trace/render.js';
import { CHECKPOINT_INTERVAL } from '../trace/trace.js';
import { InputError } from '../util/errors.js';
import { buildInfo, buildsDiffer, describeBuild, type BuildInfo } from './build-info.js';
import type { ImportedModule } from './imported-modules.js';
import type { RunOutput, RunResult } from './run-result.js';
import { runScenario } from './run-scenario.js';

export interface Divergence {
  /** 0-based index of the first event that differs, when the original trace was on disk. */
  eventIndex: number | undefined;
  /** The range of events the divergence lies in, from the hash checkpoints. */
  windowStart: number;
  windowEnd: number;
  expected: string | undefined;
  actual: string | undefined;
}

export interface ReplayReport {
  original: RunResult;
  replay: RunOutput;
  matches: boolean;
  divergence: Divergence | undefined;
  /** When the hashes differ and the result came from another build: that build, named. */
  buildMismatch: string | undefined;
}

/** Reads a result.json written by `faultline run` or `sweep`. */
export function readResultFile(path: string): RunResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot read the file', path);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`not valid JSON (${(error as Error).message}); expected a result.json written by faultline run`, path);
  }
  const result = data as Partial<RunResult>;
  if (typeof data !== 'object' || data === null || result.formatVersion !== 1) throw new InputError('expected a result.json written by faultline run (formatVersion 1)', path);
  for (const field of ['scenarioSource', 'traceHash'] as const) {
    if (typeof result[field] !== 'string') throw new InputError(`missing or invalid field; expected a string`, path, undefined, undefined, field);
  }
  if (typeof result.seed !== 'number' || !Array.isArray(result.checkpoints)) throw new InputError('missing seed or checkpoints', path);
  return { ...(result as RunResult), imports: recordedImports(result.imports, path) };
}

/** `imports` as a result.json records it; absent in results written before it was recorded. */
function recordedImports(imports: unknown, path: string): ImportedModule[] {
  if (imports === undefined) return [];
  const valid = Array.isArray(imports) && imports.every((module) => typeof module?.given === 'string' && typeof module?.resolved === 'string');
  if (!valid) throw new InputError('invalid field; expected a list of { given, resolved } module names', path, undefined, undefined, 'imports');
  return imports as ImportedModule[];
}

/**
 * Re-runs the scenario and seed a result.json records and compares trace hashes. On a mismatch
 * it localises the first divergence with the hash checkpoints, and names the exact event when
 * the original trace.jsonl lies beside the result.
 */
export function replayResultFile(path: string): ReplayReport {
  return replayResult(readResultFile(path), path);
}

/** `replayResultFile` for a result already read (and its recorded modules loaded) from `path`. */
export function replayResult(original: RunResult, path: string): ReplayReport {
  const scenario = parseScenario(original.scenarioSource, original.scenarioFile ?? path);
  const replay = runScenario(scenario, { seed: original.seed, keepTrace: true, imports: original.imports });
  const matches = replay.result.traceHash === original.traceHash;
  return {
    original,
    replay,
    matches,
    divergence: matches ? undefined : locate(original, replay, join(dirname(path), 'trace.jsonl')),
    buildMismatch: matches ? undefined : describeBuildMismatch(original.build, buildInfo),
  };
}

/**
 * A different build is the likely cause of a divergence: the simulator, a protocol or the
 * workload changed between the recording and now. Unknown when the result predates build ids.
 */
export function describeBuildMismatch(recorded: BuildInfo | undefined, current: BuildInfo): string | undefined {
  if (recorded === undefined) return `the result records no build (written before build ids); this is faultline ${describeBuild(current)}: a different build may be the cause`;
  if (!buildsDiffer(recorded, current)) return undefined;
  return `the result was recorded by faultline ${describeBuild(recorded)}, this is ${describeBuild(current)}: a build mismatch is the likely cause`;
}

function locate(original: RunResult, replay: RunOutput, tracePath: string): Divergence {
  const theirs = original.checkpoints;
  const ours = replay.result.checkpoints;
  let window = 0;
  while (window < theirs.length && window < ours.length && theirs[window] === ours[window]) window++;
  const windowStart = window * CHECKPOINT_INTERVAL;
  const windowEnd = Math.max(windowStart, Math.min(original.traceEvents, replay.result.traceEvents, windowStart + CHECKPOINT_INTERVAL) - 1);
  const render = messageRendererFor(replay);
  const events = replay.trace ?? [];
  const actualAt = (index: number) => (events[index] === undefined ? '(no event: the replay ended)' : renderTraceEvent(events[index]!, render));
  if (!existsSync(tracePath)) {
    return { eventIndex: undefined, windowStart, windowEnd, expected: undefined, actual: actualAt(windowStart) };
  }
  const lines = readFileSync(tracePath, 'utf8').split('\n').filter((line) => line !== '');
  for (let index = windowStart; index < Math.max(lines.length, events.length); index++) {
    const expected = lines[index] === undefined ? '(no event: the original ended)' : (JSON.parse(lines[index]!) as { text: string }).text;
    const actual = events[index] === undefined ? '(no event: the replay ended)' : renderTraceEvent(events[index]!, render);
    if (expected !== actual) return { eventIndex: index, windowStart, windowEnd, expected, actual };
  }
  return { eventIndex: undefined, windowStart, windowEnd, expected: undefined, actual: actualAt(windowStart) };
}

function messageRendererFor(replay: RunOutput) {
  const scenario = parseScenario(replay.result.scenarioSource);
  const protocol = findProtocol(scenario.protocol.name);
  return protocol === undefined ? renderMessageGeneric : protocol.renderMessage;
}
