import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkOperations, modelByName, pairOperations, parseHistoryFile, TimeBudget, type AnyModel, type HistoryFormat, type Operation } from '../check/index.js';
import { isMain, nowMs } from './measure.js';
import { stressHistory, type StressShape } from './check-stress-histories.js';
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
 * apart), median of several runs per file, then the two stress histories of issue 4.
 */
export async function runCheckBench(): Promise<void> {
  runConsistencyBench(); // first: its memory figures are not inflated by the stress histories below
  const corpus = corpusDirectory();
  if (corpus === undefined) console.log('corpus: ../shared/histories/porcupine is absent, skipped');
  else await benchCorpus(corpus);
  benchStress('stress: 100,000 ops, 10 clients, 10 keys, 5% info, values 0..4', { operations: 100_000, clients: 10, keys: 10, infoPerMille: 50, writePerMille: 400, valueRange: 5, seed: 7 }, 10_000);
  benchStress('stress: 100,000 ops, 10 clients, 10 keys, 5% info, unique values', { operations: 100_000, clients: 10, keys: 10, infoPerMille: 50, writePerMille: 400, valueRange: 1_000_000_000, seed: 7 }, 10_000);
  benchStress('pathological: 1 key, 50 clients, 3,000 ops, 30% info writes, values 0..4', { operations: 3_000, clients: 50, keys: 1, infoPerMille: 300, writePerMille: 600, valueRange: 5, seed: 11 }, 10_000);
  benchStress('pathological: 1 key, 50 clients, 20,000 ops, 30% info writes, values 0..4', { operations: 20_000, clients: 50, keys: 1, infoPerMille: 300, writePerMille: 600, valueRange: 5, seed: 13 }, 10_000);
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

function benchStress(title: string, shape: StressShape, timeoutMs: number): void {
  const model = modelByName('cas-register') as AnyModel;
  const history = stressHistory(shape);
  const parseStart = nowMs();
  const paired = pairOperations(history, model);
  const pairMs = nowMs() - parseStart;
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const start = nowMs();
  const result = checkOperations(paired.operations, model, { time: new TimeBudget(timeoutMs), memoryBytes: 512 * 1024 * 1024 });
  const ms = nowMs() - start;
  const memory = process.memoryUsage();
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  const info = result.partitions.reduce((sum, partition) => sum + partition.indeterminateCount, 0);
  const dropped = result.partitions.reduce((sum, partition) => sum + partition.droppedIndeterminateCount, 0);
  const configurations = result.partitions.reduce((sum, partition) => sum + partition.configurations, 0);
  const unknown = result.partitions.filter((partition) => partition.verdict === 'unknown').map((partition) => (partition.verdict === 'unknown' ? partition.reason : ''));
  console.log(title);
  console.log(
    `  ${paired.operations.length} ops checked (${info} indeterminate, ${dropped} dropped as unobservable), verdict ${result.verdict}${unknown.length > 0 ? ` (${[...new Set(unknown)].join(', ')})` : ''}, ` +
      `${ms.toFixed(0)} ms checking (budget ${timeoutMs} ms), pairing ${pairMs.toFixed(0)} ms, ${configurations} configurations`,
  );
  console.log(`  heap ${((memory.heapUsed - heapBefore) / 1048576).toFixed(0)} MiB above baseline, heap used ${(memory.heapUsed / 1048576).toFixed(0)} MiB, RSS ${(memory.rss / 1048576).toFixed(0)} MiB, peak RSS ${maxRssMb.toFixed(0)} MiB`);
}

if (isMain(import.meta.url)) await runCheckBench();
