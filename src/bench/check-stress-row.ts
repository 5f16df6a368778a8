import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { checkOperations, modelByName, pairOperations, TimeBudget, type AnyModel } from '../check/index.js';
import { isMain, nowMs } from './measure.js';
import { stressHistory, type StressShape } from './check-stress-histories.js';

/** One stress row, as the child process reports it. */
export interface StressRow {
  readonly operations: number;
  readonly indeterminate: number;
  readonly dropped: number;
  readonly verdict: string;
  /** Why a verdict is unknown, if it is. */
  readonly reasons: readonly string[];
  readonly decidedBy: readonly string[];
  readonly checkMs: number;
  readonly generateMs: number;
  readonly configurations: number;
  /** Peak resident set of the whole child process (generation included), MiB. */
  readonly peakRssMb: number;
  /** Resident set before checking began (the history generated and paired), MiB. */
  readonly baselineRssMb: number;
  /** The first sentence of the explanation, when not linearizable. */
  readonly explanation?: string;
}

export interface StressRequest {
  readonly shape: StressShape;
  readonly model: string;
  readonly timeoutMs: number;
  readonly memoryMb: number;
  readonly searchOnly?: boolean;
}

/**
 * Runs one stress history in a fresh Node process, so that its peak RSS is its own and not the
 * largest of everything the bench did before it.
 */
export function runStressRow(request: StressRequest): StressRow {
  const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), JSON.stringify(request)], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (child.status !== 0) throw new Error(`stress row failed (status ${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop() as string) as StressRow;
}

function measureInThisProcess(request: StressRequest): StressRow {
  const model = modelByName(request.model) as AnyModel;
  const generateStart = nowMs();
  const history = stressHistory(request.shape);
  const paired = pairOperations(history, model);
  const generateMs = nowMs() - generateStart;
  global.gc?.();
  const baselineRssMb = process.memoryUsage().rss / 1048576;
  const start = nowMs();
  const result = checkOperations(paired.operations, model, { time: new TimeBudget(request.timeoutMs), memoryBytes: request.memoryMb * 1024 * 1024, searchOnly: request.searchOnly });
  const checkMs = nowMs() - start;
  const violation = result.partitions.find((partition) => partition.verdict === 'not linearizable');
  return {
    operations: paired.operations.length,
    indeterminate: result.partitions.reduce((sum, partition) => sum + partition.indeterminateCount, 0),
    dropped: result.partitions.reduce((sum, partition) => sum + partition.droppedIndeterminateCount, 0),
    verdict: result.verdict,
    reasons: [...new Set(result.partitions.flatMap((partition) => (partition.verdict === 'unknown' ? [partition.reason] : [])))],
    decidedBy: [...new Set(result.partitions.map((partition) => partition.decidedBy))],
    checkMs,
    generateMs,
    configurations: result.partitions.reduce((sum, partition) => sum + partition.configurations, 0),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    baselineRssMb,
    explanation: violation?.verdict === 'not linearizable' ? violation.violation.summary.split('. ')[0] : undefined,
  };
}

if (isMain(import.meta.url)) {
  const request = JSON.parse(process.argv[2] as string) as StressRequest;
  console.log(JSON.stringify(measureInThisProcess(request)));
}
