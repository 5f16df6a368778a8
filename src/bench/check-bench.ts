import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkHistory, checkOperations, modelByName, pairOperations, parseHistoryFile, TimeBudget, type AnyModel, type HistoryFormat, type Operation } from '../check/index.js';
import { isMain, nowMs } from './measure.js';
import { counterHistory } from './check-stress-histories.js';
import { runStressRow, type StressRequest, type StressRow } from './check-stress-row.js';
import { runConsistencyBench } from './consistency-bench.js';

const repeats = 7;
const memoryBytes = 1024 * 1024 * 1024;

interface CorpusFile {
  readonly file: string;
  readonly model: AnyModel;
  readonly expected: string;
  readonly operations: readonly Operation[];
  readonly parseMs: number;
}

/**
 * `npm run bench:check`: checking time over Porcupine's corpus (parsing and pairing timed
 * apart), median of several runs per file, then the stress histories (issues 4 and 17), each
 * in a child process with its peak RSS.
 */
export async function runCheckBench(): Promise<void> {
  if (process.argv.includes('--memory-only')) return benchMemory();
  if (process.argv.includes('--counter-only')) return benchCounter();
  runConsistencyBench(); // first: its memory figures are not inflated by the stress histories below
  const corpus = corpusDirectory();
  if (corpus === undefined) console.log('corpus: ../shared/histories/porcupine is absent, skipped');
  else await benchCorpus(corpus);
  const casShape = { operations: 100_000, clients: 10, keys: 10, infoPerMille: 50, writePerMille: 400, seed: 7 };
  benchStress('stress: 100,000 ops, 10 clients, 10 keys, 5% info, values 0..4 (cas-register)', { model: 'cas-register', shape: { ...casShape, valueRange: 5 }, timeoutMs: 10_000, memoryMb: 512 });
  benchStress('stress: 100,000 ops, 10 clients, 10 keys, 5% info, random values 0..1e9 (cas-register)', { model: 'cas-register', shape: { ...casShape, valueRange: 1_000_000_000 }, timeoutMs: 10_000, memoryMb: 512 });
  const pathological = { clients: 50, keys: 1, infoPerMille: 300, writePerMille: 600, valueRange: 5 };
  benchStress('pathological: 1 key, 50 clients, 3,000 ops, 30% info writes, values 0..4 (cas-register)', { model: 'cas-register', shape: { ...pathological, operations: 3_000, seed: 11 }, timeoutMs: 10_000, memoryMb: 512 });
  benchStress('pathological: 1 key, 50 clients, 20,000 ops, 30% info writes, values 0..4 (cas-register)', { model: 'cas-register', shape: { ...pathological, operations: 20_000, seed: 13 }, timeoutMs: 10_000, memoryMb: 512 });
  // The two 100,000-operation single-key register histories of issue 17, with unique and with repeated values.
  const register = { operations: 100_000, keys: 1, infoPerMille: 50, writePerMille: 400, valueRange: 5, noCas: true };
  for (const unique of [true, false]) {
    const values = unique ? 'unique values' : 'values 0..4';
    benchStress(`register: 100,000 ops, 1 key, 50 clients, 5% info, ${values}, linearizable`, { model: 'register', shape: { ...register, clients: 50, uniqueValues: unique, seed: 21 }, timeoutMs: stressTimeoutMs, memoryMb: 512 });
    benchStress(`register: 100,000 ops, 1 key, 10 clients, 5% info, ${values}, one stale read at 99%`, { model: 'register', shape: { ...register, clients: 10, uniqueValues: unique, staleRead: true, seed: 23 }, timeoutMs: stressTimeoutMs, memoryMb: 512 });
  }
  benchCounter();
  benchMemory();
}

/**
 * Issue 17's counter row: 220 operations of 10 clients with 23 crashed (indeterminate) adds,
 * generated (counterHistory), checked by the counter path and by the search alone, in this
 * process after a warm-up (`node --expose-gc dist/bench/check-bench.js --counter-only`).
 */
function benchCounter(): void {
  const model = modelByName('counter') as AnyModel;
  const shape = (seed: number) => ({ operations: 220, clients: 10, indeterminateAdds: 23, seed });
  for (const seed of [101, 102]) checkHistory(counterHistory(shape(seed)), model, { timeoutMs: 30_000 });
  console.log('counter: 220 ops, 10 clients, 23 crashed adds (counterHistory seeds 1..8), counter path against the search alone (30 s budget)');
  const pathTimes: number[] = [];
  // CPU time as well: on a shared machine the wall time of a 20 ms check varies several-fold.
  const pathCpuTimes: number[] = [];
  for (let seed = 1; seed <= 8; seed++) {
    const history = counterHistory(shape(seed));
    const start = nowMs();
    const cpuStart = process.cpuUsage();
    const checked = checkHistory(history, model, { timeoutMs: 30_000 });
    const pathMs = nowMs() - start;
    const cpu = process.cpuUsage(cpuStart);
    const pathCpuMs = (cpu.user + cpu.system) / 1000;
    pathTimes.push(pathMs);
    pathCpuTimes.push(pathCpuMs);
    const partition = checked.partitions[0];
    const searchStart = nowMs();
    const searched = checkHistory(history, model, { timeoutMs: 30_000, searchOnly: true });
    const searchMs = nowMs() - searchStart;
    console.log(
      `  seed ${seed}: ${checked.verdict} by ${partition?.decidedBy} in ${pathMs.toFixed(0)} ms (CPU ${pathCpuMs.toFixed(0)} ms, ${partition?.configurations} configurations); ` +
        `search alone: ${searched.verdict} in ${searchMs.toFixed(0)} ms (${searched.partitions[0]?.configurations} configurations)`,
    );
  }
  pathTimes.sort((a, b) => a - b);
  pathCpuTimes.sort((a, b) => a - b);
  console.log(
    `  counter path: median ${(pathTimes[4] as number).toFixed(0)} ms, slowest ${(pathTimes[7] as number).toFixed(0)} ms wall; ` +
      `CPU median ${(pathCpuTimes[4] as number).toFixed(0)} ms, slowest ${(pathCpuTimes[7] as number).toFixed(0)} ms (goal < 50 ms)`,
  );
}

/** Goal of issue 17: peak RSS at most the memory budget plus this. */
const memoryHeadroomMb = 64;

/**
 * The memory budget against peak RSS: the repeated-value stale-read history, which the search
 * cannot decide, with a time budget long enough for the memory budget to run out first
 * (`node --expose-gc dist/bench/check-bench.js --memory-only` runs these rows alone).
 */
function benchMemory(): void {
  const shape = { operations: 100_000, keys: 1, clients: 10, infoPerMille: 50, writePerMille: 400, valueRange: 5, noCas: true, staleRead: true, seed: 23 };
  for (const memoryMb of [512, 2048]) {
    const request = { model: 'register', shape, timeoutMs: 180_000, memoryMb };
    const row = benchStress(`memory: register, 100,000 ops, 1 key, 10 clients, 5% info, values 0..4, one stale read, --memory-mb ${memoryMb}`, request);
    const over = row.peakRssMb - memoryMb;
    const met = over <= memoryHeadroomMb ? 'met' : 'NOT met';
    console.log(`  peak RSS ${row.peakRssMb.toFixed(0)} MiB against a budget of ${memoryMb} MiB: ${over >= 0 ? '+' : ''}${over.toFixed(0)} MiB (goal: at most +${memoryHeadroomMb} MiB) ${met}`);
  }
}

function corpusDirectory(): string | undefined {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const directory = path.resolve(repoRoot, '../shared/histories/porcupine');
  return existsSync(path.join(directory, 'manifest.tsv')) ? directory : undefined;
}

async function benchCorpus(directory: string): Promise<void> {
  const files = await loadCorpus(directory);
  const parseMs = files.reduce((sum, file) => sum + file.parseMs, 0);
  const medians = files.map((file) => ({ file, ...medianCheck(file) }));
  console.log(`corpus: ${files.length} files, checking time per file (median of ${repeats} runs), parsing excluded`);
  for (const { file, ms, verdict } of medians) {
    const mark = verdict === file.expected ? '' : `  MISMATCH: expected ${file.expected}`;
    console.log(`  ${file.file.padEnd(22)} ${String(file.operations.length).padStart(5)} ops  ${ms.toFixed(2).padStart(8)} ms  ${verdict}${mark}`);
  }
  const total = medians.reduce((sum, entry) => sum + entry.ms, 0);
  const slowest = [...medians].sort((a, b) => b.ms - a.ms).slice(0, 3);
  console.log(`corpus total checking time: ${total.toFixed(1)} ms (sum of per-file medians); parsing and pairing: ${parseMs.toFixed(1)} ms`);
  console.log(`slowest: ${slowest.map((entry) => `${entry.file.file} ${entry.ms.toFixed(1)} ms`).join(', ')}`);
  console.log(`mismatched verdicts: ${medians.filter((entry) => entry.verdict !== entry.file.expected).length}`);
}

async function loadCorpus(directory: string): Promise<CorpusFile[]> {
  const lines = readFileSync(path.join(directory, 'manifest.tsv'), 'utf8').trim().split('\n').slice(1);
  const files: CorpusFile[] = [];
  for (const line of lines) {
    const [file, format, modelName, expected] = line.split('\t') as [string, HistoryFormat, string, string];
    const model = modelByName(modelName) as AnyModel;
    const start = nowMs();
    const parsed = await parseHistoryFile(path.join(directory, file), format);
    const operations = pairOperations(parsed.events, model, parsed).operations;
    files.push({ file, model, expected, operations, parseMs: nowMs() - start });
  }
  return files;
}

function medianCheck(file: CorpusFile): { ms: number; verdict: string } {
  const times: number[] = [];
  let verdict = '';
  for (let run = 0; run < repeats; run++) {
    const start = nowMs();
    verdict = checkOperations(file.operations, file.model, { time: new TimeBudget(60_000), memoryBytes }).verdict;
    times.push(nowMs() - start);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)] as number, verdict };
}

/** Time budget of the 100,000-operation register rows (the default is 60 s; shorter keeps the bench short). */
const stressTimeoutMs = 20_000;

/** One stress history, checked in a child process of its own so that its peak RSS is its own. */
function benchStress(title: string, request: StressRequest): StressRow {
  const row = runStressRow(request);
  const unknown = row.reasons.length > 0 ? ` (${row.reasons.join(', ')})` : '';
  console.log(title);
  console.log(
    `  ${row.operations} ops checked (${row.indeterminate} indeterminate, ${row.dropped} dropped as unobservable), verdict ${row.verdict}${unknown}, decided by ${row.decidedBy.join(' + ')}, ` +
      `${row.checkMs.toFixed(0)} ms checking (budget ${request.timeoutMs} ms, ${request.memoryMb} MiB), ${row.configurations} configurations, ` +
      `peak RSS ${row.peakRssMb.toFixed(0)} MiB (${row.baselineRssMb.toFixed(0)} MiB before checking)`,
  );
  if (row.explanation !== undefined) console.log(`  explanation: ${row.explanation.slice(0, 240)}${row.explanation.length > 240 ? '…' : ''}`);
  return row;
}

if (isMain(import.meta.url)) await runCheckBench();
